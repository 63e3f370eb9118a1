// The SQLite tests use the backend-neutral helpers under their old name.
#pragma once

#include "store/test_util.h"

namespace redress::store::sqlite {
namespace testutil = store::testutil;
}  // namespace redress::store::sqlite
