// Mail for the inbound tests: a message of the corpus (../shared/corpus/email, people's
// mail), or a small message of our own with a Message-ID of the caller's choosing.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#ifndef REDRESS_MAIL_CORPUS
#define REDRESS_MAIL_CORPUS "/work/shared/corpus/email"
#endif

namespace redress::testing {

inline std::string Corpus(const std::string& name) {
  std::ifstream in(std::string(REDRESS_MAIL_CORPUS) + "/" + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  EXPECT_FALSE(bytes.str().empty()) << "corpus file " << name << " is missing";
  return bytes.str();
}

/// A message to support@acme.test from `from`, replying to `in_reply_to` when given.
inline std::string Mail(const std::string& message_id, const std::string& from,
                        const std::string& subject, const std::string& in_reply_to = "") {
  std::string m = "From: Asha Rao <" + from + ">\r\nTo: support@acme.test\r\nSubject: " + subject +
                  "\r\nMessage-ID: <" + message_id + ">\r\n";
  if (!in_reply_to.empty()) {
    m += "In-Reply-To: <" + in_reply_to + ">\r\nReferences: <" + in_reply_to + ">\r\n";
  }
  return m + "Date: Wed, 02 Dec 2026 09:00:00 +0000\r\nContent-Type: text/plain\r\n\r\n" +
         "The parcel never came.\r\n";
}

}  // namespace redress::testing
