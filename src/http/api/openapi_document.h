#pragma once

#include <string_view>

namespace redress::http::api {

/// docs/openapi.yaml as it was when this binary was built.
std::string_view OpenApiDocument();

}  // namespace redress::http::api
