#include "peers/lmtp_client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>

namespace redress::test_peers {

std::string DotStuffed(const std::string& data) {
  std::string out;
  out.reserve(data.size() + 16);
  bool line_start = true;
  for (char c : data) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  return out;
}

std::unique_ptr<LmtpClient> LmtpClient::Connect(int family, const void* address, size_t length) {
  const int fd = ::socket(family, SOCK_STREAM, 0);
  if (fd < 0) return nullptr;
  if (::connect(fd, static_cast<const sockaddr*>(address), static_cast<socklen_t>(length)) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<LmtpClient>(new LmtpClient(fd));
}

std::unique_ptr<LmtpClient> LmtpClient::OverUnix(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  return Connect(AF_UNIX, &address, sizeof address);
}

std::unique_ptr<LmtpClient> LmtpClient::OverTcp(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return Connect(AF_INET, &address, sizeof address);
}

LmtpClient::LmtpClient(int fd) : fd_(fd) {
  timeval timeout{20, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

LmtpClient::~LmtpClient() { ::close(fd_); }

void LmtpClient::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

std::string LmtpClient::Line() {
  for (;;) {
    const size_t end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return "";
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

std::vector<std::string> LmtpClient::Replies(int count) {
  std::vector<std::string> replies;
  while (static_cast<int>(replies.size()) < count) {
    std::string line = Line();
    if (line.empty()) break;
    if (line.size() >= 4 && line[3] == '-') continue;  // a continuation line
    replies.push_back(std::move(line));
  }
  replies.resize(static_cast<size_t>(count));
  return replies;
}

std::string LmtpClient::Greet(const std::string& host_name) {
  if (!Reply().starts_with("220 ")) return "";
  Send("LHLO " + host_name + "\r\n");
  return Reply();
}

std::vector<std::string> LmtpClient::Deliver(const std::string& from,
                                             const std::vector<std::string>& to,
                                             const std::string& data) {
  std::string envelope = "MAIL FROM:<" + from + ">\r\n";
  for (const std::string& recipient : to) envelope += "RCPT TO:<" + recipient + ">\r\n";
  Send(envelope + "DATA\r\n");
  std::vector<std::string> replies = Replies(static_cast<int>(to.size()) + 2);
  if (!replies.back().starts_with("354")) return replies;
  int accepted = 0;
  for (size_t i = 1; i + 1 < replies.size(); ++i) accepted += replies[i].starts_with("250");
  // The final dot must stand on a line of its own, so a message that does not end with a
  // line break gets one, as an MTA adds it.
  const bool ends_line = !data.empty() && data.back() == '\n';
  Send(DotStuffed(data) + (ends_line ? ".\r\n" : "\r\n.\r\n"));
  for (std::string& reply : Replies(accepted)) replies.push_back(std::move(reply));
  return replies;
}

}  // namespace redress::test_peers
