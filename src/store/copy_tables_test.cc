// Nothing is forgotten by `redress copy`: every table and column that the latest schema
// really has, on each backend, is either copied (store/copy_tables.h, with the same column
// list) or listed as not copied with a reason. A new schema_vN.h that adds a table or a
// column fails here until the catalog says what happens to it.
#include "store/copy_tables.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using Columns = std::map<std::string, std::set<std::string>>;  // table -> columns

Result<Columns> SqliteColumns(const std::string& path) {
  auto db = sqlite::Database::Open(path, sqlite::Database::Mode::kReadOnly, 5000);
  if (!db) return Fail(db.error());
  auto list = (*db)->Prepare(
      "SELECT m.name, c.name FROM sqlite_schema AS m, pragma_table_info(m.name) AS c"
      " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'");
  if (!list) return Fail(list.error());
  Columns columns;
  for (;;) {
    auto row = (*list)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return columns;
    columns[(*list)->ColumnText(0)].insert((*list)->ColumnText(1));
  }
}

Result<Columns> PostgresColumns(const std::string& url) {
  auto conn = postgres::Connection::Open(url);
  if (!conn) return Fail(conn.error());
  auto rows = (*conn)->Query(
      "SELECT table_name, column_name FROM information_schema.columns"
      " WHERE table_schema = current_schema()");
  if (!rows) return Fail(rows.error());
  Columns columns;
  for (int r = 0; r < rows->size(); ++r) columns[rows->Text(r, 0)].insert(rows->Text(r, 1));
  return columns;
}

class CopyTablesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CopyTablesTest, EveryTableAndColumnIsCopiedOrExplained) {
  auto backend = testutil::MakeBackend(GetParam());
  auto store = backend->Open();  // migrated to the latest schema
  ASSERT_TRUE(store) << store.error().message;
  store->reset();
  auto actual = GetParam() == "sqlite" ? SqliteColumns(backend->url())
                                       : PostgresColumns(backend->url());
  ASSERT_TRUE(actual) << actual.error().message;
  ASSERT_GT(actual->size(), 10u);

  std::set<std::string> explained;
  for (const NotCopied& item : NotCopiedTables()) {
    EXPECT_FALSE(item.reason.empty()) << item.name;
    explained.insert(std::string(item.name));
  }
  std::set<std::string> copied;
  for (const CopiedTable& table : CopiedTables()) {
    copied.insert(std::string(table.name));
    auto found = actual->find(std::string(table.name));
    ASSERT_NE(found, actual->end()) << table.name << " is copied but does not exist";
    std::set<std::string> listed;
    for (const CopyColumn& column : table.columns) listed.insert(std::string(column.name));
    for (const std::string& column : found->second) {
      EXPECT_TRUE(listed.contains(column) || explained.contains(found->first + "." + column))
          << found->first << "." << column
          << " is neither copied nor explained: add it to store/copy_tables.cc";
    }
    for (const std::string& column : listed) {
      EXPECT_TRUE(found->second.contains(column))
          << table.name << "." << column << " is copied but does not exist";
    }
  }
  for (const auto& [table, columns] : *actual) {
    EXPECT_TRUE(copied.contains(table) || explained.contains(table))
        << "table " << table << " is neither copied nor explained: add it to "
        << "store/copy_tables.cc";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CopyTablesTest,
                         ::testing::ValuesIn(testutil::BackendNames()), testutil::BackendName());

}  // namespace
}  // namespace redress::store
