#include "store/change_hub.h"

#include <utility>
#include <vector>

namespace redress::store {

class ChangeHub::HubSubscription final : public Subscription {
 public:
  HubSubscription(std::shared_ptr<ChangeHub> hub, int64_t id) : hub_(std::move(hub)), id_(id) {}
  ~HubSubscription() override { hub_->Unsubscribe(id_); }

 private:
  std::shared_ptr<ChangeHub> hub_;
  int64_t id_;
};

std::unique_ptr<Subscription> ChangeHub::Subscribe(CaseChanged callback) {
  std::lock_guard lock(mu_);
  const int64_t id = next_id_++;
  callbacks_.emplace(id, std::move(callback));
  return std::make_unique<HubSubscription>(shared_from_this(), id);
}

void ChangeHub::Publish(int64_t case_id) {
  std::lock_guard dispatching(dispatch_mu_);
  std::vector<CaseChanged> callbacks;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, callback] : callbacks_) callbacks.push_back(callback);
  }
  for (const CaseChanged& callback : callbacks) callback(case_id);
}

bool ChangeHub::empty() const {
  std::lock_guard lock(mu_);
  return callbacks_.empty();
}

void ChangeHub::Unsubscribe(int64_t id) {
  // Waiting for a Publish in progress: after this, the subscriber's state may go away.
  std::lock_guard dispatching(dispatch_mu_);
  std::lock_guard lock(mu_);
  callbacks_.erase(id);
}

}  // namespace redress::store
