// Delivering mail to the product as an MTA does, for the mail scenario tests on SQLite
// (integration/) and PostgreSQL (pg_integration/): a [mail] configuration with a known
// thread key, `redress mailgate --db` per message, and the threads.tsv messages of the
// corpus in the order a mailbox would have received them. Header-only: only the mail
// tests include it, and they link redress_email for the parser and the token signer.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "channels/email/mime_message.h"
#include "channels/email/testing/mail_corpus.h"
#include "channels/email/thread_token.h"
#include "support/test_server.h"

namespace redress::testing {

inline constexpr char kMailAddress[] = "support@acme.example";

/// The thread key every mail test uses (32 bytes of 'k'); the signer makes the tokens our
/// outbound mail would carry.
inline std::string MailTestKey() { return std::string(32, 'k'); }

/// Writes thread.key and redress.toml ([mail] with kMailAddress) into `dir`; returns the
/// configuration's path.
inline std::string WriteMailConfig(const std::filesystem::path& dir) {
  std::string hex;
  for (unsigned char c : MailTestKey()) {
    hex += "0123456789abcdef"[c >> 4];
    hex += "0123456789abcdef"[c & 15];
  }
  std::ofstream(dir / "thread.key") << hex << "\n";
  std::ofstream(dir / "redress.toml") << "[mail]\naddresses = [\"" << kMailAddress
                                      << "\"]\nthread_key_file = \""
                                      << (dir / "thread.key").string() << "\"\n";
  return (dir / "redress.toml").string();
}

/// What `redress mailgate` said: its exit status and its one line on stderr
/// ("redress mailgate: appended case 12").
struct Gate {
  int exit_code = -1;
  std::string outcome;
  int64_t case_id = 0;
  std::string log;
};

inline Gate Mailgate(const std::string& config, const std::string& db, const std::string& raw) {
  ProcessResult r = RunCli({"--config", config, "mailgate", "--db", db}, raw);
  Gate gate;
  gate.exit_code = r.exit_code;
  gate.log = r.Describe();
  const std::string prefix = "redress mailgate: ";
  size_t at = r.err.find(prefix);
  if (at == std::string::npos) return gate;
  std::string line = r.err.substr(at + prefix.size());
  line = line.substr(0, line.find('\n'));
  gate.outcome = line.substr(0, line.find_first_of(" ;"));
  size_t c = line.find(" case ");
  if (c != std::string::npos) gate.case_id = std::stoll(line.substr(c + 6));
  return gate;
}

/// A corpus message that threads.tsv puts in a conversation or a set of copies of one
/// message (the groups that must each be one case).
struct ThreadMessage {
  std::string name;    // "file#index"
  std::string thread;  // threads.tsv's thread id
  std::string bytes;
};

/// Those messages per source (the corpus folder) in Date order, as a mailbox would have
/// received them.
inline std::vector<ThreadMessage> CorpusThreadMessages() {
  std::map<std::string, std::string> thread_of;
  for (auto& row : email::testing::LoadThreadsTsv()) {
    if (row["kind"] != "conversation" && row["kind"] != "same-message-id") continue;
    thread_of[row["file"] + "#" + row["msg_index"]] = row["thread"];
  }
  struct Item {
    ThreadMessage message;
    std::string source;
    Timestamp date{};
  };
  std::vector<Item> items;
  for (auto& m : email::testing::LoadCorpus()) {
    std::string name = m.file + "#" + std::to_string(m.index);
    auto thread = thread_of.find(name);
    if (thread == thread_of.end()) continue;
    auto parsed = email::ParseMessage(m.bytes);
    Timestamp date = parsed ? parsed->date.value_or(Timestamp{}) : Timestamp{};
    items.push_back(Item{ThreadMessage{name, thread->second, std::move(m.bytes)},
                         m.file.substr(0, m.file.find('/')), date});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.source != b.source ? a.source < b.source : a.date < b.date;
  });
  std::vector<ThreadMessage> out;
  for (Item& item : items) out.push_back(std::move(item.message));
  return out;
}

/// Where the corpus threads went, message by message, and the rule they must obey: each
/// threads.tsv group in exactly one case, and no case holding two groups.
struct ThreadTally {
  std::map<std::string, std::set<int64_t>> cases_of_thread;
  std::map<int64_t, std::set<std::string>> threads_of_case;
  std::map<int64_t, int> filed_in_case;  // messages that became events (not copies)

  /// `gate` filed `m` into a case (its exit code and case already checked).
  void Add(const ThreadMessage& m, const Gate& gate) {
    cases_of_thread[m.thread].insert(gate.case_id);
    threads_of_case[gate.case_id].insert(m.thread);
    if (gate.outcome == "opened" || gate.outcome == "appended") ++filed_in_case[gate.case_id];
  }

  void ExpectOneCasePerThread() const {
    EXPECT_GE(cases_of_thread.size(), 50u);
    for (const auto& [thread, cases] : cases_of_thread) {
      EXPECT_EQ(cases.size(), 1u) << thread << " spans " << cases.size() << " cases";
    }
    for (const auto& [case_id, threads] : threads_of_case) {
      EXPECT_EQ(threads.size(), 1u) << "case " << case_id << " holds " << threads.size()
                                    << " threads, first " << *threads.begin();
    }
  }
};

}  // namespace redress::testing
