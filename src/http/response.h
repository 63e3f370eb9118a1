// Building responses in handlers. Handlers set status, headers and body only: the session
// stamps every response with the request's HTTP version and keep-alive, `Server: redress`,
// `X-Request-Id` and the payload size (Content-Length) after the handler returns, so these
// helpers do not need the request. Error responses are in problem.h, included here so that
// a handler needs one include.
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include "http/context.h"
#include "http/problem.h"

namespace redress::http {

/// `body` serialized compactly, Content-Type: application/json.
Response JsonResponse(boost::beast::http::status status, const boost::json::value& body);

/// 204 with no body.
Response NoContent();

/// A non-JSON body, e.g. Prometheus text or the OpenAPI YAML.
Response Text(boost::beast::http::status status, std::string body,
              std::string_view content_type = "text/plain; charset=utf-8");

}  // namespace redress::http
