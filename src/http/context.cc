#include "http/context.h"

namespace redress::http {

std::optional<std::string_view> RequestContext::Header(std::string_view name) const {
  auto it = request.find(name);
  if (it == request.end()) return std::nullopt;
  return it->value();
}

}  // namespace redress::http
