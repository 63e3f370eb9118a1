// Schema version 2 of the SQLite backend: the shared work queue (store.h, JobSpec). Same
// conventions as schema_v1.h.
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV2 = R"sql(
-- One row per job. (kind, key) is unique, so scheduling a job twice keeps the first.
-- A job is claimable while state = 'pending', due_at has come and it has no live lease
-- (lease_until NULL or past). Done jobs stay as a record and keep their key taken.
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,
  key          TEXT    NOT NULL,
  due_at       INTEGER NOT NULL,
  payload      TEXT    NOT NULL,
  state        TEXT    NOT NULL DEFAULT 'pending',  -- 'pending' | 'done'
  attempts     INTEGER NOT NULL DEFAULT 0,
  lease_owner  TEXT,
  lease_until  INTEGER,
  last_error   TEXT    NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  completed_at INTEGER,
  UNIQUE (kind, key)
) STRICT;
CREATE INDEX jobs_due ON jobs (kind, due_at) WHERE state = 'pending';
)sql";

}  // namespace redress::store::sqlite
