// A blocking LMTP client (RFC 2033) over a Unix or loopback TCP socket, as an MTA speaks
// it: the envelope pipelined, the message dot-stuffed after 354, one answer per accepted
// recipient. Used by the listener's integration tests and by bench/mail_bench, which run
// it against a real `redress serve`. Reads time out after 20 s.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace redress::test_peers {

class LmtpClient {
 public:
  /// Null when nothing accepts the connection.
  static std::unique_ptr<LmtpClient> OverUnix(const std::string& path);
  static std::unique_ptr<LmtpClient> OverTcp(uint16_t port);
  ~LmtpClient();
  LmtpClient(const LmtpClient&) = delete;
  LmtpClient& operator=(const LmtpClient&) = delete;

  void Send(const std::string& bytes);
  /// The next `count` replies, each its final line ("250 2.0.0 ..."); "" for each that did
  /// not come.
  std::vector<std::string> Replies(int count);
  std::string Reply() { return Replies(1)[0]; }

  /// Reads the greeting and says LHLO; the last line of the LHLO answer.
  std::string Greet(const std::string& host_name = "mx1.test");

  /// One whole transaction. Returns the replies to MAIL, each RCPT and DATA, then one per
  /// accepted recipient.
  std::vector<std::string> Deliver(const std::string& from, const std::vector<std::string>& to,
                                   const std::string& data);

 private:
  static std::unique_ptr<LmtpClient> Connect(int family, const void* address, size_t length);
  explicit LmtpClient(int fd);
  std::string Line();

  int fd_;
  std::string buffer_;
};

/// SMTP dot-stuffing: a dot that starts a line is doubled.
std::string DotStuffed(const std::string& data);

}  // namespace redress::test_peers
