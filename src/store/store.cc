#include "store/store.h"

#include <future>
#include <memory>
#include <utility>

namespace redress::store {

Error NotAnOpenUpload(int64_t attachment_id) {
  return Error{ErrorCode::kInvalidArgument,
               "attachment " + std::to_string(attachment_id) +
                   " is not an unused upload of yours; upload the file again",
               "attachment_ids"};
}

Error AlreadyUsed(int64_t attachment_id) {
  return Error{ErrorCode::kConflict,
               "attachment " + std::to_string(attachment_id) +
                   " was just used by another request; upload the file again",
               "attachment_ids"};
}

// Must not be called from a WriteDone callback: that runs on the writer thread, which
// would then wait for itself.
Result<void> Store::Write(WriteFn fn) {
  // Shared, so the promise outlives a writer thread that is still inside set_value when
  // this thread wakes up and returns.
  auto promise = std::make_shared<std::promise<Result<void>>>();
  std::future<Result<void>> future = promise->get_future();
  SubmitWrite(std::move(fn),
              [promise](Result<void> result) { promise->set_value(std::move(result)); });
  return future.get();
}

Result<std::vector<domain::CaseState>> Store::SearchCases(const std::string&, int) {
  return Fail(ErrorCode::kInternal, "this store does not support search");
}

Result<std::unique_ptr<Subscription>> Store::SubscribeChanges(CaseChanged) {
  return Fail(ErrorCode::kInternal, "this store does not support change notifications");
}

}  // namespace redress::store

namespace redress::store {

Result<std::optional<Setting>> Store::GetSetting(const std::string&) {
  return Fail(ErrorCode::kInternal, "this store does not support settings");
}

Result<int64_t> Store::CountCases(const CaseQuery&) {
  return Fail(ErrorCode::kInternal, "this store does not support counting cases");
}

}  // namespace redress::store
