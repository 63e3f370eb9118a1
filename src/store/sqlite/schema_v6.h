// The mail channel's schema for SQLite (store/mail_tx.h says what each table is for).
// Registered as the version after the case commitments (see migrations.cc); the file is
// named for the version it takes once the settings schema (5) is in the same tree.
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE mail_blobs (
  sha256    TEXT    PRIMARY KEY,  -- lowercase hex SHA-256 of bytes
  bytes     BLOB    NOT NULL,
  size      INTEGER NOT NULL,
  stored_at INTEGER NOT NULL
) STRICT;

CREATE TABLE mail_messages (
  id          INTEGER PRIMARY KEY,
  direction   TEXT    NOT NULL,  -- 'inbound' | 'outbound'
  raw_sha256  TEXT    NOT NULL REFERENCES mail_blobs (sha256),
  size        INTEGER NOT NULL,
  message_id  TEXT    NOT NULL,  -- '' when the message has none
  case_id     INTEGER REFERENCES cases (id),
  sender      TEXT    NOT NULL,
  subject_key TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  error       TEXT    NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
-- The same raw bytes are one inbound message however often they arrive.
CREATE UNIQUE INDEX mail_messages_inbound_raw ON mail_messages (raw_sha256)
  WHERE direction = 'inbound';
CREATE INDEX mail_messages_by_message_id ON mail_messages (message_id) WHERE message_id <> '';
CREATE INDEX mail_messages_by_sender ON mail_messages (sender, subject_key);
CREATE INDEX mail_messages_by_case ON mail_messages (case_id, id);

CREATE TABLE mail_attachments (
  message_row  INTEGER NOT NULL REFERENCES mail_messages (id),
  position     INTEGER NOT NULL,
  sha256       TEXT    NOT NULL REFERENCES mail_blobs (sha256),
  filename     TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  content_id   TEXT    NOT NULL,
  inline_part  INTEGER NOT NULL,
  size         INTEGER NOT NULL,
  PRIMARY KEY (message_row, position)
) STRICT;

CREATE TABLE mail_thread_ids (
  message_id TEXT    NOT NULL,
  case_id    INTEGER NOT NULL REFERENCES cases (id),
  own        INTEGER NOT NULL,  -- 1: a message of the case; 0: one its messages referenced
  seq        INTEGER NOT NULL,  -- insertion order, for References
  PRIMARY KEY (message_id, case_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX mail_thread_ids_by_case ON mail_thread_ids (case_id, seq);

CREATE TABLE mail_participants (
  case_id INTEGER NOT NULL REFERENCES cases (id),
  address TEXT    NOT NULL,
  PRIMARY KEY (case_id, address)
) STRICT, WITHOUT ROWID;

CREATE TABLE mail_outbox (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  event_seq   INTEGER NOT NULL,
  purpose     TEXT    NOT NULL,
  sender      TEXT    NOT NULL,
  recipients  TEXT    NOT NULL,  -- addresses separated by '\n'
  message_id  TEXT    NOT NULL,
  bytes       BLOB    NOT NULL,
  status      TEXT    NOT NULL,  -- 'queued' | 'sent' | 'failed'
  attempts    INTEGER NOT NULL,
  last_error  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (case_id, event_seq, purpose)
) STRICT;

CREATE TABLE mail_mailboxes (
  name        TEXT    PRIMARY KEY,
  uidvalidity INTEGER NOT NULL,
  last_uid    INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;
)sql";

}  // namespace redress::store::sqlite
