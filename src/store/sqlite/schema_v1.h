// Schema version 1 of the SQLite backend. Applied once by migrations.cc, inside one
// transaction together with its schema_migrations row; never edit it after release (add a
// schema_v2.h instead). Conventions: timestamps are INTEGER microseconds since the Unix
// epoch (UTC); enums are their stable lowercase names; booleans are 0/1; tables are STRICT
// so a wrongly typed value fails loudly instead of being stored as something else.
// Enum columns deliberately have no CHECK list: SQLite cannot alter a CHECK without
// rebuilding the table, and enums only grow. Reads reject unknown names as corruption.
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE customers (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL,
  password_hash TEXT    NOT NULL DEFAULT '',  -- portal login; empty = none set
  created_at    INTEGER NOT NULL
) STRICT;

-- One row per way to reach a customer. The (kind, value) pair is unique across all
-- customers: one address can never belong to two people. The rowid keeps the order in
-- which identities were given.
CREATE TABLE customer_identities (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL,
  value       TEXT    NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  verified    INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  UNIQUE (kind, value)
) STRICT;
CREATE INDEX customer_identities_by_customer ON customer_identities (customer_id);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT    NOT NULL UNIQUE,
  display_name  TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  level         INTEGER NOT NULL DEFAULT 1,
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  password_hash TEXT    NOT NULL DEFAULT '',  -- argon2id; empty = password login disabled
  created_at    INTEGER NOT NULL
) STRICT;

-- Credentials are stored as SHA-256 digests only. owner_role 'customer' means owner_id is
-- a customer id, otherwise a user id.
CREATE TABLE api_tokens (
  token_hash TEXT    PRIMARY KEY,
  owner_role TEXT    NOT NULL,
  owner_id   INTEGER NOT NULL,
  label      TEXT    NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER  -- NULL = never
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
  session_hash TEXT    PRIMARY KEY,
  owner_role   TEXT    NOT NULL,
  owner_id     INTEGER NOT NULL,
  csrf_token   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The stored response to a POST with an Idempotency-Key, written in the same transaction
-- as the effect it describes.
CREATE TABLE idempotency (
  scope       TEXT    NOT NULL,
  key         TEXT    NOT NULL,
  fingerprint TEXT    NOT NULL,
  status      INTEGER NOT NULL,
  body        TEXT    NOT NULL,
  location    TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID;

-- Sequences. Case ids come from here rather than from cases.id's rowid so that an id is
-- handed out before the first event is sealed (the id is part of the hash).
CREATE TABLE counters (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('case_id', 0);

-- The projection: one row per case, always equal to the fold of its events, written in
-- the same transaction as the events that change it.
CREATE TABLE cases (
  id                       INTEGER PRIMARY KEY,
  customer_id              INTEGER NOT NULL REFERENCES customers (id),
  subject                  TEXT    NOT NULL,
  status                   TEXT    NOT NULL,
  priority                 TEXT    NOT NULL,
  category                 TEXT    NOT NULL DEFAULT '',
  level                    INTEGER NOT NULL,
  owner_id                 INTEGER,  -- NULL = unowned
  owner_name               TEXT    NOT NULL DEFAULT '',
  channel                  TEXT    NOT NULL,
  opened_at                INTEGER NOT NULL,
  updated_at               INTEGER NOT NULL,
  first_response_at        INTEGER,
  last_customer_message_at INTEGER,
  customer_messages        INTEGER NOT NULL,
  staff_replies            INTEGER NOT NULL,
  internal_notes           INTEGER NOT NULL,
  transfers                INTEGER NOT NULL,
  last_seq                 INTEGER NOT NULL,
  head_hash                TEXT    NOT NULL
) STRICT;
-- One index per ListCases filter, each ending in id so "newest first after a cursor" is a
-- range scan. The unfiltered listing uses the primary key.
CREATE INDEX cases_by_status ON cases (status, id DESC);
CREATE INDEX cases_by_owner ON cases (owner_id, id DESC);
CREATE INDEX cases_by_level ON cases (level, id DESC);
CREATE INDEX cases_by_customer ON cases (customer_id, id DESC);

-- The log. Append-only: the triggers make an UPDATE or DELETE fail even for someone with
-- a SQL shell, so a correction must be a new event.
CREATE TABLE events (
  case_id    INTEGER NOT NULL REFERENCES cases (id),
  seq        INTEGER NOT NULL CHECK (seq >= 1),
  type       TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  actor_kind TEXT    NOT NULL,
  actor_id   INTEGER NOT NULL,
  actor_name TEXT    NOT NULL,
  channel    TEXT    NOT NULL,
  visibility TEXT    NOT NULL,
  data       TEXT    NOT NULL,  -- the payload as a JSON object
  prev_hash  TEXT    NOT NULL,
  hash       TEXT    NOT NULL,
  PRIMARY KEY (case_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only');
END;
)sql";

}  // namespace redress::store::sqlite
