// Schema version 9 of the SQLite backend: one-time sign-in links for customers, and the outbox opened to mail that
// belongs to no case: a sign-in link is mail about an account, so its outbox row has no
// case_id (NULL), and the (case, event, purpose) de-duplication does not apply to it (each
// link is its own mail, named by its link row in event_seq).
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV9 = R"sql(
CREATE TABLE sign_in_links (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT    NOT NULL UNIQUE,  -- hex SHA-256 of the secret in the link
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  email        TEXT    NOT NULL,          -- where the link was sent
  requested_by TEXT    NOT NULL,          -- 'customer' or 'user:<id>'
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER                    -- NULL until redeemed; a link works once
) STRICT;
CREATE INDEX sign_in_links_by_customer ON sign_in_links (customer_id, created_at);

-- SQLite cannot drop a NOT NULL in place: the outbox is rebuilt with a nullable case_id.
CREATE TABLE mail_outbox_v7 (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER REFERENCES cases (id),  -- NULL: account mail (a sign-in link)
  event_seq   INTEGER NOT NULL,
  purpose     TEXT    NOT NULL,
  sender      TEXT    NOT NULL,
  recipients  TEXT    NOT NULL,
  message_id  TEXT    NOT NULL,
  bytes       BLOB    NOT NULL,
  status      TEXT    NOT NULL,
  attempts    INTEGER NOT NULL,
  last_error  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (case_id, event_seq, purpose)
) STRICT;
INSERT INTO mail_outbox_v7 SELECT id, case_id, event_seq, purpose, sender, recipients, message_id,
  bytes, status, attempts, last_error, created_at, updated_at FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_v7 RENAME TO mail_outbox;
-- The rebuild dropped schema 7's index for the acknowledgement loop guard: made again.
CREATE INDEX mail_outbox_by_recipient ON mail_outbox (purpose, recipients, created_at);
)sql";

}  // namespace redress::store::sqlite
