#include "http/response.h"

#include <utility>

#include <boost/json/serialize.hpp>

namespace redress::http {

namespace http = boost::beast::http;

Response JsonResponse(http::status status, const boost::json::value& body) {
  Response res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = boost::json::serialize(body);
  return res;
}

Response NoContent() { return Response{http::status::no_content, 11}; }

Response Text(http::status status, std::string body, std::string_view content_type) {
  Response res{status, 11};
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

}  // namespace redress::http
