// What `redress copy` moves: every table of the latest schema is either copied row for row
// (with its columns and their types, the same names on both backends) or listed as not
// copied with the reason (bookkeeping each database keeps for itself, or an index rebuilt
// from copied rows). copy_tables_test.cc lists the tables and columns each backend really
// has and fails on any the catalog does not mention, so a new table or column cannot be
// forgotten: add it here in the same change that adds its schema_vN.h.
#pragma once

#include <span>
#include <string_view>

namespace redress::store {

/// How a value travels between the backends (SQLite STRICT type / PostgreSQL type).
enum class CopyType {
  kInteger,  // INTEGER / bigint or integer
  kText,     // TEXT / text
  kBoolean,  // INTEGER 0|1 / boolean
  kBytes,    // BLOB / bytea, byte for byte
};

struct CopyColumn {
  std::string_view name;
  CopyType type;
};

struct CopiedTable {
  std::string_view name;
  std::span<const CopyColumn> columns;
  std::string_view order_by;  // the copy inserts in this order (ids stay ascending)
  /// PostgreSQL hands out its ids from an identity sequence, continued after a copy.
  bool identity_id = false;
};

/// A table, or one column of a copied table ("table.column"), that is not copied.
struct NotCopied {
  std::string_view name;
  std::string_view reason;
};

/// Parents before children (foreign keys).
std::span<const CopiedTable> CopiedTables();
/// Tables and columns of either backend left out on purpose.
std::span<const NotCopied> NotCopiedTables();

}  // namespace redress::store
