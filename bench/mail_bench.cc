// Inbound email figures (issue 5): emails per second end to end (parse, thread, durable
// store) through app::MailIntake wired as `redress serve` wires it (escalation reactor on
// every case write), and through `redress mailgate --db`, one process per message as an MTA
// runs it. Plain main; prints figures.
//
//   mail_bench [messages=6000] [mailgate_messages=200] [dir=/tmp]
//
// The mail is made from the real messages of ../shared/corpus/email (people's mail that
// parses, their MIME bodies kept byte for byte) with new envelope headers: every message
// has its own Message-ID, 2,000 customers write, and after the first round the mix is 40%
// new problems, 25% replies by In-Reply-To/References, 25% replies to our signed reply-to
// token, 10% replies with every thread header stripped (sender + subject). Every reply
// must land in its parent's case; the bench counts the ones that did not ("misfiled").
//
// In process it runs four ways, each on a fresh database:
//   one-by-one  IngestNow from one thread: every message waits for its own fsync;
//   8 threads   IngestNow from 8 threads: concurrent deliveries share commits;
//   batches     Prepare on 2 threads, IngestBatch of 100 (the IMAP poller's filing).
// With REDRESS_BENCH_PG_URL (or REDRESS_TEST_PG_URL, as under scripts/with-test-postgres.sh)
// pointing at a cluster where the user may CREATE DATABASE, the same runs go to PostgreSQL.
//   overlapped  the same, parsing the next 100 while the writer stores the last 100.
// MAIL_BENCH_MODES=2 runs only the third in-process mode (for profiling).
// Then the LMTP listener of a real `redress serve` with 1, 20 and 64 connections
// (MAIL_BENCH_LMTP messages each, default `messages`; 0 skips it;
// MAIL_BENCH_LMTP_CONNECTIONS=N runs only N connections). Then, unless MAIL_BENCH_IMAP=0:
// the IMAP poller's whole path (list, fetch, parse, file, mark, cursor) against a real Dovecot from
// tests/peers, MAIL_BENCH_IMAP messages (default the smaller of `messages` and 2,000; appending
// them to Dovecot takes about 20 ms each).
#include <curl/curl.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/case_service.h"
#include "app/mail_intake.h"
#include "app/open_store.h"
#include "channels/email/mbox.h"
#include "channels/email/mime_message.h"
#include "core/clock.h"
#include "engine/escalation_wiring.h"
#include "engine/mail_poll_job.h"
#include "peers/child_process.h"
#include "peers/dovecot_peer.h"
#include "peers/lmtp_client.h"
#include "store/postgres/pg_conn.h"

using namespace redress;
using Wall = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr const char* kOurAddress = "support@acme.example";
constexpr int kCustomers = 2000;
constexpr int kRound = 1000;

double Seconds(Wall::time_point since) {
  return std::chrono::duration<double>(Wall::now() - since).count();
}

// CPU seconds (user + system) used so far by this process (`who` RUSAGE_SELF) or by its
// waited-for children (RUSAGE_CHILDREN). On a shared machine the wall-clock rate depends on
// what else runs; the CPU per mail does not, so both are printed.
double CpuSeconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

// CPU seconds used so far by each live thread of this process, by thread id. The store's
// writer is one thread, so the busiest thread bounds the rate even with idle cores.
std::map<std::string, double> ThreadCpuSeconds() {
  std::map<std::string, double> out;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const auto& entry : fs::directory_iterator("/proc/self/task")) {
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    }
    out[entry.path().filename().string()] = ticks / tick;
  }
  return out;
}

double LoadAverage() {
  double load = 0;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A corpus message reduced to what the bench keeps: its MIME headers and body.
struct Template {
  std::string mime_headers;  // Content-*, MIME-Version lines, CRLF or LF as found
  std::string body;
};

bool IsMimeHeader(std::string_view line) {
  auto starts = [&](std::string_view prefix) {
    if (line.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
    }
    return true;
  };
  return starts("content-") || starts("mime-version:");
}

// Splits a message into header lines and body; keeps the MIME header fields (with their
// folded continuation lines) and drops every other one.
std::optional<Template> MakeTemplate(std::string_view raw) {
  if (raw.starts_with("From ")) raw.remove_prefix(std::min(raw.size(), raw.find('\n') + 1));
  size_t end = raw.find("\n\n");
  size_t crlf = raw.find("\r\n\r\n");
  size_t body_at = 0;
  if (crlf != std::string_view::npos && (end == std::string_view::npos || crlf < end)) {
    end = crlf;
    body_at = crlf + 4;
  } else if (end != std::string_view::npos) {
    body_at = end + 2;
  } else {
    return std::nullopt;
  }
  Template t;
  bool keep = false;
  size_t at = 0;
  while (at < end) {
    size_t nl = raw.find('\n', at);
    if (nl == std::string_view::npos || nl > end) nl = end;
    std::string_view line = raw.substr(at, nl - at);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (keep) t.mime_headers.append(line).append("\n");
    } else {
      keep = IsMimeHeader(line);
      if (keep) t.mime_headers.append(line).append("\n");
    }
    at = nl + 1;
  }
  for (size_t i = 0; i < t.mime_headers.size(); ++i) {  // one line ending style: LF
    if (t.mime_headers[i] == '\r') t.mime_headers.erase(i--, 1);
  }
  t.body = std::string(raw.substr(body_at));
  return t;
}

// People's mail from the corpus that parses, each reduced to a template.
std::vector<Template> LoadTemplates(const fs::path& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string relative = fs::relative(entry.path(), root).generic_string();
    if (relative.ends_with(".md") || relative.ends_with(".tsv") || relative.ends_with(".gz")) {
      continue;
    }
    files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  std::vector<Template> templates;
  for (const std::string& file : files) {
    std::string bytes = ReadFile(root / file);
    std::vector<std::string_view> parts{bytes};
    if (file.find(".mbox") != std::string::npos || file == "sisimai/mbox-1") {
      parts = email::SplitMbox(bytes);
    }
    for (std::string_view part : parts) {
      if (part.size() > 256 * 1024) continue;
      auto parsed = email::ParseMessage(part);
      if (!parsed || parsed->from.empty() || parsed->text_body.empty()) continue;
      auto kind = email::ClassifyMail(*parsed);
      if (kind.kind != email::MailKind::kPerson) continue;
      if (auto t = MakeTemplate(part)) templates.push_back(std::move(*t));
    }
  }
  return templates;
}

enum class Kind { kNew, kReferences, kToken, kStripped };
const char* KindName(Kind k) {
  switch (k) {
    case Kind::kNew: return "new";
    case Kind::kReferences: return "reply by References";
    case Kind::kToken: return "reply by token";
    case Kind::kStripped: return "reply, headers stripped";
  }
  return "?";
}

struct Generated {
  Kind kind = Kind::kNew;
  std::string raw;
  int parent = -1;  // index into Generator::opened_ of the case it must land in
};

// A case the bench opened: enough to write replies to it.
struct Opened {
  std::string message_id;
  std::string sender;
  std::string subject;
  int64_t case_id = 0;
};

class Generator {
 public:
  Generator(const std::vector<Template>& templates, const email::ThreadTokenSigner& signer,
            std::string run)
      : templates_(templates), signer_(signer), run_(std::move(run)) {}

  // The next round of messages; round 0 is all new problems.
  std::vector<Generated> Round(int count) {
    std::vector<Generated> out;
    const bool first = opened_.empty();
    for (int i = 0; i < count; ++i, ++serial_) {
      int pick = static_cast<int>(serial_ % 20);
      Kind kind = first || pick < 8 ? Kind::kNew
                  : pick < 13       ? Kind::kReferences
                  : pick < 18       ? Kind::kToken
                                    : Kind::kStripped;
      out.push_back(Make(kind));
    }
    return out;
  }

  // After a round: the case each new message opened (in the order generated).
  void Opens(size_t index, int64_t case_id) { opened_[index].case_id = case_id; }
  const Opened& opened(int index) const { return opened_[index]; }
  size_t opened_count() const { return opened_.size(); }

 private:
  Generated Make(Kind kind) {
    const Template& t = templates_[random_() % templates_.size()];
    Generated g;
    g.kind = kind;
    const std::string id = "bench-" + run_ + "-" + std::to_string(serial_) + "@mail.example";
    std::string headers;
    if (kind == Kind::kNew || ready_.empty()) {
      g.kind = Kind::kNew;
      Opened o;
      o.message_id = id;
      o.sender = "customer" + std::to_string(random_() % kCustomers) + "@mail.example";
      o.subject = "Order " + std::to_string(100000 + serial_) + ": refund not received";
      headers = "From: Customer <" + o.sender + ">\nTo: " + kOurAddress + "\nSubject: " +
                o.subject + "\n";
      pending_new_.push_back(static_cast<int>(opened_.size()));
      opened_.push_back(std::move(o));
    } else {
      g.parent = ready_[random_() % ready_.size()];
      const Opened& p = opened_[g.parent];
      headers = "From: Customer <" + p.sender + ">\n";
      if (kind == Kind::kToken) {
        headers += "To: " + signer_.ReplyAddress(kOurAddress, p.case_id) + "\n";
        headers += "Subject: Re: our conversation\n";
      } else {
        headers += std::string("To: ") + kOurAddress + "\nSubject: Re: " + p.subject + "\n";
      }
      if (kind == Kind::kReferences) {
        headers += "In-Reply-To: <" + p.message_id + ">\nReferences: <" + p.message_id + ">\n";
      }
    }
    headers += "Message-ID: <" + id + ">\nDate: Tue, 01 Dec 2026 10:00:00 +0000\n";
    g.raw = headers + (t.mime_headers.empty() ? "Content-Type: text/plain; charset=utf-8\n"
                                              : t.mime_headers) +
            "\n" + t.body;
    return g;
  }

 public:
  // The new cases of the last round are known now: replies may go to them.
  void Publish() {
    for (int i : pending_new_) ready_.push_back(i);
    pending_new_.clear();
  }

 private:
  const std::vector<Template>& templates_;
  const email::ThreadTokenSigner& signer_;
  std::string run_;
  std::mt19937_64 random_{42};
  int64_t serial_ = 0;
  std::vector<Opened> opened_;
  std::vector<int> pending_new_;
  std::vector<int> ready_;
};

struct Tally {
  int64_t messages = 0;
  int64_t bytes = 0;
  double seconds = 0;  // ingest only: generating the mail is not timed
  double cpu_seconds = 0;
  std::map<std::string, double> thread_cpu_seconds;
  int64_t misfiled = 0;
  int64_t failed = 0;
  std::map<std::string, int64_t> outcomes;
  std::map<std::string, int64_t> rules;
  std::string first_error;
};

// Files `round` with `ingest` (which returns results in order) and checks each against
// what the generator meant.
using IngestFn = std::function<std::vector<Result<app::IntakeResult>>(std::vector<std::string>)>;

// Untimed work before a round is filed (putting its mail on an IMAP server).
using StageFn = std::function<Result<void>(const std::vector<std::string>&)>;

void RunRounds(Generator& gen, int messages, const IngestFn& ingest, Tally& tally,
               const StageFn& stage = {}) {
  for (int done = 0; done < messages; done += kRound) {
    const size_t first_new = gen.opened_count();
    std::vector<Generated> round = gen.Round(std::min(kRound, messages - done));
    std::vector<std::string> raws;
    for (const Generated& g : round) {
      raws.push_back(g.raw);
      tally.bytes += static_cast<int64_t>(g.raw.size());
    }
    if (stage) {
      if (auto staged = stage(raws); !staged) {
        tally.failed += static_cast<int64_t>(round.size());
        if (tally.first_error.empty()) tally.first_error = staged.error().message;
        return;
      }
    }
    auto start = Wall::now();
    const double cpu = CpuSeconds(RUSAGE_SELF);
    const auto threads = ThreadCpuSeconds();
    auto results = ingest(std::move(raws));
    tally.seconds += Seconds(start);
    tally.cpu_seconds += CpuSeconds(RUSAGE_SELF) - cpu;
    for (const auto& [tid, after] : ThreadCpuSeconds()) {
      auto before = threads.find(tid);
      tally.thread_cpu_seconds[tid] += after - (before == threads.end() ? 0 : before->second);
    }
    size_t next_new = first_new;
    for (size_t i = 0; i < round.size(); ++i) {
      ++tally.messages;
      if (!results[i]) {
        ++tally.failed;
        if (tally.first_error.empty()) tally.first_error = results[i].error().message;
        if (round[i].kind == Kind::kNew) ++next_new;
        continue;
      }
      const app::IntakeResult& r = *results[i];
      ++tally.outcomes[app::IntakeOutcomeName(r.outcome)];
      ++tally.rules[std::string(KindName(round[i].kind)) + " -> " +
                    (r.match_rule.empty() ? "-" : r.match_rule)];
      if (round[i].kind == Kind::kNew) {
        if (r.outcome != app::IntakeOutcome::kOpened) ++tally.misfiled;
        gen.Opens(next_new++, r.case_id.value_or(0));
      } else if (r.case_id != gen.opened(round[i].parent).case_id) {
        ++tally.misfiled;
      }
    }
    gen.Publish();
  }
}

void Print(const std::string& backend, const std::string& mode, const Tally& t) {
  double busiest = 0;
  for (const auto& [tid, seconds] : t.thread_cpu_seconds) busiest = std::max(busiest, seconds);
  std::printf("%-10s %-36s %6lld mails %6.2f s %7.0f mails/s  cpu %.3f ms/mail, busiest thread "
              "%.3f ms/mail  misfiled %lld  failed %lld  load %.1f\n",
              backend.c_str(), mode.c_str(), static_cast<long long>(t.messages), t.seconds,
              t.messages / t.seconds, t.cpu_seconds * 1e3 / t.messages,
              busiest * 1e3 / t.messages, static_cast<long long>(t.misfiled),
              static_cast<long long>(t.failed), LoadAverage());
  if (!t.first_error.empty()) std::printf("  first error: %s\n", t.first_error.c_str());
}

// One fresh store wired like serve: the case service with the escalation reactor.
struct Rig {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<app::CaseService> cases;
  std::unique_ptr<engine::EscalationWiring> escalation;
  std::unique_ptr<app::MailIntake> intake;
};

Result<Rig> MakeRig(const std::string& url, const email::ThreadTokenSigner& signer,
                    Clock& clock) {
  Rig rig;
  auto opened = app::OpenStore(url, app::MigratePolicy::kApply);
  if (!opened) return Fail(opened.error());
  rig.store = std::move(*opened);
  rig.cases = std::make_unique<app::CaseService>(*rig.store);
  auto wiring = engine::EscalationWiring::Build(*rig.store, clock, *rig.cases, "");
  if (!wiring) return Fail(wiring.error());
  rig.escalation = std::move(*wiring);
  rig.intake = std::make_unique<app::MailIntake>(*rig.cases, signer,
                                                 app::MailIntakeOptions{{kOurAddress}});
  return rig;
}

// A fresh database per run: a SQLite file in `dir`, or a new database on the PostgreSQL
// cluster.
class Databases {
 public:
  Databases(std::string dir, std::string pg) : dir_(std::move(dir)), pg_(std::move(pg)) {}
  ~Databases() {
    for (const std::string& f : files_) {
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(f + suffix);
    }
    if (pg_.empty() || names_.empty()) return;
    auto admin = store::postgres::Connection::Open(pg_);
    if (!admin) return;
    for (const std::string& n : names_) (void)(*admin)->Exec("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
  }

  Result<std::string> Fresh(bool postgres) {
    const std::string name = "redress_mail_bench_" + std::to_string(getpid()) + "_" +
                             std::to_string(++counter_);
    if (!postgres) {
      files_.push_back(dir_ + "/" + name + ".db");
      return files_.back();
    }
    auto admin = store::postgres::Connection::Open(pg_);
    if (!admin) return Fail(admin.error());
    if (auto created = (*admin)->Exec("CREATE DATABASE " + name); !created) {
      return Fail(created.error());
    }
    names_.push_back(name);
    const size_t scheme = pg_.find("://") + 3;
    const size_t query = pg_.find('?', scheme);
    const size_t end = std::min(pg_.find('/', scheme), query);
    return pg_.substr(0, end) + "/" + name + (query == std::string::npos ? "" : pg_.substr(query));
  }

 private:
  std::string dir_;
  std::string pg_;
  int counter_ = 0;
  std::vector<std::string> files_;
  std::vector<std::string> names_;
};

int InProcess(const std::string& backend, Databases& dbs, bool postgres, int messages,
              const std::vector<Template>& templates, const email::ThreadTokenSigner& signer) {
  SystemClock clock;
  const app::MailSource source{"bench", ""};
  struct Mode {
    std::string name;
    int messages;
    std::function<IngestFn(Rig&)> make;
  };
  std::vector<Mode> modes{
      {"IngestNow, one by one (fsync each)", std::min(messages, 1000),
       [&](Rig& rig) -> IngestFn {
         return [&](std::vector<std::string> raws) {
           std::vector<Result<app::IntakeResult>> out;
           for (std::string& raw : raws) {
             out.push_back(rig.intake->IngestNow(*rig.store, std::move(raw), source, clock.Now()));
           }
           return out;
         };
       }},
      {"IngestNow, 8 threads (group commit)", messages,
       [&](Rig& rig) -> IngestFn {
         return [&](std::vector<std::string> raws) {
           std::vector<std::optional<Result<app::IntakeResult>>> out(raws.size());
           std::atomic<size_t> next{0};
           std::vector<std::thread> threads;
           for (int t = 0; t < 8; ++t) {
             threads.emplace_back([&] {
               for (size_t i; (i = next.fetch_add(1)) < raws.size();) {
                 out[i] = rig.intake->IngestNow(*rig.store, std::move(raws[i]), source, clock.Now());
               }
             });
           }
           for (std::thread& t : threads) t.join();
           std::vector<Result<app::IntakeResult>> results;
           for (auto& r : out) results.push_back(std::move(*r));
           return results;
         };
       }},
      {"IngestBatch of 100, 2 parse threads", messages,
       [&](Rig& rig) -> IngestFn {
         return [&](std::vector<std::string> raws) {
           std::vector<Result<app::IntakeResult>> results;
           constexpr size_t kBatch = 100;
           for (size_t at = 0; at < raws.size(); at += kBatch) {
             const size_t n = std::min(kBatch, raws.size() - at);
             std::vector<app::PreparedMail> prepared(n);
             std::thread helper([&] {
               for (size_t i = 1; i < n; i += 2) prepared[i] = rig.intake->Prepare(std::move(raws[at + i]));
             });
             for (size_t i = 0; i < n; i += 2) prepared[i] = rig.intake->Prepare(std::move(raws[at + i]));
             helper.join();
             for (auto& r : rig.intake->IngestBatch(*rig.store, prepared, source, clock.Now())) {
               results.push_back(std::move(r));
             }
           }
           return results;
         };
       }},
      {"IngestBatch of 100, parsing overlapped", messages,
       [&](Rig& rig) -> IngestFn {
         // As above, but the next 100 are parsed while the writer stores the last 100, as
         // a server does when deliveries keep coming (and the IMAP poller does).
         return [&](std::vector<std::string> raws) {
           std::vector<Result<app::IntakeResult>> results;
           std::future<std::vector<Result<app::IntakeResult>>> storing;
           auto collect = [&] {
             if (!storing.valid()) return;
             for (auto& r : storing.get()) results.push_back(std::move(r));
           };
           constexpr size_t kBatch = 100;
           for (size_t at = 0; at < raws.size(); at += kBatch) {
             const size_t n = std::min(kBatch, raws.size() - at);
             auto prepared = std::make_shared<std::vector<app::PreparedMail>>(n);
             std::thread helper([&] {
               for (size_t i = 1; i < n; i += 2)
                 (*prepared)[i] = rig.intake->Prepare(std::move(raws[at + i]));
             });
             for (size_t i = 0; i < n; i += 2)
               (*prepared)[i] = rig.intake->Prepare(std::move(raws[at + i]));
             helper.join();
             collect();
             storing = std::async(std::launch::async, [&rig, prepared, &source, &clock] {
               return rig.intake->IngestBatch(*rig.store, *prepared, source, clock.Now());
             });
           }
           collect();
           return results;
         };
       }},
  };
  int status = 0;
  const char* only = std::getenv("MAIL_BENCH_MODES");  // e.g. "2": only the batch mode
  for (const Mode& mode : modes) {
    if (only && *only && std::string(only).find(std::to_string(&mode - modes.data())) == std::string::npos) continue;
    auto url = dbs.Fresh(postgres);
    if (!url) return std::fprintf(stderr, "%s: %s\n", backend.c_str(), url.error().message.c_str()), 1;
    auto rig = MakeRig(*url, signer, clock);
    if (!rig) return std::fprintf(stderr, "%s: %s\n", backend.c_str(), rig.error().message.c_str()), 1;
    Generator gen(templates, signer, backend + std::to_string(&mode - modes.data()));
    Tally tally;
    RunRounds(gen, mode.messages, mode.make(*rig), tally);
    Print(backend, mode.name, tally);
    if (&mode == &modes.back()) {
      for (const auto& [rule, n] : tally.rules) std::printf("    %-52s %6lld\n", rule.c_str(), static_cast<long long>(n));
      auto stats = rig->store->Stats();
      if (stats) {
        std::printf("    store: %lld cases, %lld events, %lld customers; %lld writes in %lld commits\n",
                    static_cast<long long>(stats->cases), static_cast<long long>(stats->events),
                    static_cast<long long>(stats->customers),
                    static_cast<long long>(stats->committed_writes),
                    static_cast<long long>(stats->commits));
      }
    }
    if (tally.failed || tally.misfiled) status = 1;
  }
  return status;
}

// `redress mailgate --db` for every message, `parallel` at a time, as an MTA's pipe
// transport runs it. The rate counts messages whose mailgate exited 0.
struct GateFigures {
  int ok = 0;
  int failed = 0;
  double seconds = 0;
  double cpu_seconds = 0;  // of the mailgate processes
  std::vector<double> latencies_ms;
};

GateFigures RunMailgates(const std::string& redress, const std::string& config,
                         const std::string& db, const std::vector<std::string>& raws,
                         const std::string& dir, int parallel) {
  GateFigures f;
  std::vector<std::string> files;
  for (size_t i = 0; i < raws.size(); ++i) {
    files.push_back(dir + "/mail_bench_" + std::to_string(getpid()) + "_" + std::to_string(i) + ".eml");
    std::ofstream(files.back(), std::ios::binary) << raws[i];
  }
  std::vector<std::string> args{redress, "--config", config, "mailgate", "--db", db};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::mutex mu;
  std::atomic<size_t> next{0};
  const double cpu = CpuSeconds(RUSAGE_CHILDREN);
  auto start = Wall::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < parallel; ++w) {
    workers.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < files.size();) {
        auto t0 = Wall::now();
        // posix_spawn, not fork: a fork of this large process would copy its page tables
        // and charge that to the child (about 10 ms per mail here); an MTA's delivery agent
        // is small.
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, files[i].c_str(), O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid = -1;
        const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        int status = 0;
        if (spawned != 0 || waitpid(pid, &status, 0) < 0) status = 127 << 8;
        const double ms = Seconds(t0) * 1000;
        std::lock_guard lock(mu);
        f.latencies_ms.push_back(ms);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++f.ok; else ++f.failed;
      }
    });
  }
  for (std::thread& w : workers) w.join();
  f.seconds = Seconds(start);
  f.cpu_seconds = CpuSeconds(RUSAGE_CHILDREN) - cpu;
  for (const std::string& file : files) fs::remove(file);
  std::sort(f.latencies_ms.begin(), f.latencies_ms.end());
  return f;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * (sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// CPU seconds (user + system) a child process has used so far, from /proc/<pid>/stat.
double ProcessCpuSeconds(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field && i <= 15; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// What the listener's answer says the intake did: "250 2.0.0 <rcpt> stored: case 12 opened".
Result<app::IntakeResult> FromLmtpReply(const std::string& reply) {
  if (!reply.starts_with("250 ")) return Fail(ErrorCode::kUnavailable, "LMTP: " + reply);
  app::IntakeResult result;
  result.outcome = reply.find(" opened") != std::string::npos     ? app::IntakeOutcome::kOpened
                   : reply.find("stored in") != std::string::npos ? app::IntakeOutcome::kAppended
                   : reply.find("already") != std::string::npos   ? app::IntakeOutcome::kDuplicate
                                                                  : app::IntakeOutcome::kUnattached;
  const size_t at = reply.find("case ");
  if (at != std::string::npos) result.case_id = std::atoll(reply.c_str() + at + 5);
  return result;
}

// The LMTP listener end to end, as Postfix's lmtp transport would use it: a real `redress
// serve` (escalation, mail wiring, logs at info) on a fresh SQLite file, [mail.lmtp] on a
// Unix socket, and `connections` MTA connections delivering at once, each message in CRLF
// and dot-stuffed. A message counts once its answer is 250 (durably stored). The CPU per
// mail is the server process's.
int Lmtp(Databases& dbs, int messages, const std::string& dir,
         const std::vector<Template>& templates, const email::ThreadTokenSigner& signer,
         const std::string& key_hex) {
  const std::string redress = (fs::path(REDRESS_BINARY)).string();
  const std::string base = dir + "/mail_bench_lmtp_" + std::to_string(getpid());
  std::ofstream(base + ".key") << key_hex << "\n";
  int status = 0;
  // 20 is Postfix's default concurrency per destination (default_destination_concurrency_limit).
  std::vector<int> connection_counts{1, 20, 64};
  if (const char* env = std::getenv("MAIL_BENCH_LMTP_CONNECTIONS"); env && *env) {
    connection_counts = {std::atoi(env)};
  }
  for (int connections : connection_counts) {
    auto url = dbs.Fresh(false);
    if (!url) return 1;
    SystemClock clock;
    {  // migrated, as `redress migrate` leaves it
      auto rig = MakeRig(*url, signer, clock);
      if (!rig) return std::fprintf(stderr, "lmtp: %s\n", rig.error().message.c_str()), 1;
    }
    auto http_port = test_peers::PickFreeLoopbackPort();
    if (!http_port) return 1;
    const std::string socket = base + ".sock";
    std::ofstream(base + ".toml") << "[database]\nurl = \"" << *url
                                  << "\"\n[server]\nlisten = \"127.0.0.1:" << *http_port
                                  << "\"\n[mail]\naddresses = [\"" << kOurAddress
                                  << "\"]\nthread_key_file = \"" << base
                                  << ".key\"\n[mail.lmtp]\nlisten = \"unix:" << socket
                                  << "\"\nmax_connections = 256\n";
    test_peers::ChildProcess::Options options;
    options.argv = {redress, "--config", base + ".toml", "serve"};
    options.output_file = base + ".log";
    options.pipe_stdout = true;
    auto server = test_peers::ChildProcess::Start(options);
    if (!server) return std::fprintf(stderr, "lmtp: %s\n", server.error().message.c_str()), 1;
    for (;;) {
      auto line = (*server)->ReadLine(std::chrono::seconds(20));
      if (!line)
        return std::fprintf(stderr, "lmtp: serve did not start (see %s.log)\n", base.c_str()), 1;
      if (line->starts_with("Redress takes LMTP on")) break;
    }
    std::vector<std::unique_ptr<test_peers::LmtpClient>> clients;
    for (int i = 0; i < connections; ++i) {
      clients.push_back(test_peers::LmtpClient::OverUnix(socket));
      if (!clients.back() || !clients.back()->Greet().starts_with("250 ")) {
        return std::fprintf(stderr, "lmtp: cannot connect to %s\n", socket.c_str()), 1;
      }
    }
    std::mutex mu;
    std::vector<double> latencies_ms;
    // The MTA holds its mail in CRLF already: converting it is not the listener's time.
    std::vector<std::string> crlf_round;
    StageFn to_crlf = [&](const std::vector<std::string>& raws) -> Result<void> {
      crlf_round.clear();
      for (const std::string& raw : raws) {
        std::string crlf;
        crlf.reserve(raw.size() + raw.size() / 40);
        for (char ch : raw) {  // bare LF to CRLF
          if (ch == '\n' && (crlf.empty() || crlf.back() != '\r')) crlf += '\r';
          crlf += ch;
        }
        crlf_round.push_back(std::move(crlf));
      }
      return {};
    };
    IngestFn ingest = [&](std::vector<std::string> raws) {
      std::vector<Result<app::IntakeResult>> results(raws.size(),
                                                     Fail(ErrorCode::kInternal, "not sent"));
      std::atomic<size_t> next{0};
      std::vector<std::thread> threads;
      for (auto& client : clients) {
        threads.emplace_back([&, c = client.get()] {
          for (size_t i; (i = next.fetch_add(1)) < raws.size();) {
            const auto t0 = Wall::now();
            auto replies = c->Deliver("customer@mail.example", {kOurAddress}, crlf_round[i]);
            const double ms = Seconds(t0) * 1000;
            results[i] = FromLmtpReply(replies.size() == 4 ? replies[3] : replies.back());
            std::lock_guard lock(mu);
            latencies_ms.push_back(ms);
          }
        });
      }
      for (std::thread& t : threads) t.join();
      return results;
    };
    Generator gen(templates, signer, "lmtp" + std::to_string(connections));
    Tally tally;
    const double server_cpu = ProcessCpuSeconds((*server)->pid());
    RunRounds(gen, messages, ingest, tally, to_crlf);
    const double server_cpu_used = ProcessCpuSeconds((*server)->pid()) - server_cpu;
    clients.clear();
    (*server)->Stop();
    std::sort(latencies_ms.begin(), latencies_ms.end());
    const std::string mode = "LMTP, " + std::to_string(connections) + " connections";
    std::printf(
        "%-10s %-36s %6lld mails %6.2f s %7.0f mails/s  server cpu %.3f ms/mail  "
        "p50 %.1f ms  p99 %.1f ms  misfiled %lld  failed %lld  load %.1f\n",
        "sqlite", mode.c_str(), static_cast<long long>(tally.messages), tally.seconds,
        tally.messages / tally.seconds, server_cpu_used * 1e3 / tally.messages,
        Percentile(latencies_ms, 0.5), Percentile(latencies_ms, 0.99),
        static_cast<long long>(tally.misfiled), static_cast<long long>(tally.failed),
        LoadAverage());
    if (!tally.first_error.empty()) std::printf("  first error: %s\n", tally.first_error.c_str());
    if (tally.failed || tally.misfiled) status = 1;
    fs::remove(base + ".toml");
    fs::remove(base + ".log");
  }
  fs::remove(base + ".key");
  return status;
}

// The IMAP poller's path end to end: a real Dovecot (tests/peers) holds each round's mail,
// appended before the clock starts; PollMailboxOnce lists, fetches, parses, files, marks
// and moves the cursor, exactly as the poll job does, on one fresh SQLite database.
int ImapPoll(Databases& dbs, int messages, const std::vector<Template>& templates,
             const email::ThreadTokenSigner& signer) {
  auto peer = test_peers::DovecotPeer::Start();
  if (!peer) {
    std::printf("imap: no Dovecot to poll (%s)\n", peer.error().message.c_str());
    return 0;
  }
  SystemClock clock;
  auto url = dbs.Fresh(false);
  if (!url) return std::fprintf(stderr, "imap: %s\n", url.error().message.c_str()), 1;
  auto rig = MakeRig(*url, signer, clock);
  if (!rig) return std::fprintf(stderr, "imap: %s\n", rig.error().message.c_str()), 1;
  email::transport::ImapMailboxConfig config;
  config.endpoint.host = "127.0.0.1";
  config.endpoint.port = (*peer)->imap_port();
  config.endpoint.tls = email::transport::TlsMode::kNone;
  config.endpoint.username = (*peer)->user();
  config.endpoint.password = (*peer)->password();
  config.folder = "INBOX";
  auto mailbox = email::transport::ImapMailbox::Open(config);
  if (!mailbox) return std::fprintf(stderr, "imap: %s\n", mailbox.error().message.c_str()), 1;
  app::MailboxConfig box;
  box.name = "bench";
  uint32_t next_uid = 1;  // a fresh server: its UIDs count up from 1 in append order
  const StageFn append = [&](const std::vector<std::string>& raws) {
    return (*peer)->Append("INBOX", raws);
  };
  const IngestFn poll = [&](std::vector<std::string> raws) {
    std::vector<Result<app::IntakeResult>> out(
        raws.size(), Fail(ErrorCode::kNotFound, "the poll never filed this message"));
    const uint32_t first = next_uid;
    next_uid += static_cast<uint32_t>(raws.size());
    for (size_t filed = 0; filed < raws.size();) {
      auto polled = engine::PollMailboxOnce(
          *rig->store, *rig->intake, box, *mailbox, clock, 1 << 30, [] { return true; },
          [&](uint32_t uid, const app::IntakeResult& r) {
            if (uid >= first && uid - first < out.size()) out[uid - first] = r;
          });
      if (!polled) {
        for (auto& r : out) {
          if (!r) r = Fail(polled.error());
        }
        break;
      }
      if (polled->fetched == 0) break;
      filed += static_cast<size_t>(polled->fetched);
    }
    return out;
  };
  Generator gen(templates, signer, "imap");
  Tally tally;
  RunRounds(gen, messages, poll, tally, append);
  Print("sqlite", "IMAP poll of a real Dovecot", tally);
  return tally.failed || tally.misfiled ? 1 : 0;
}

int Mailgate(Databases& dbs, int messages, const std::string& dir,
             const std::vector<Template>& templates, const email::ThreadTokenSigner& signer,
             const std::string& key_hex) {
  const std::string redress = (fs::path(REDRESS_BINARY)).string();
  const std::string key_file = dir + "/mail_bench_" + std::to_string(getpid()) + ".key";
  const std::string config = dir + "/mail_bench_" + std::to_string(getpid()) + ".toml";
  std::ofstream(key_file) << key_hex << "\n";
  std::ofstream(config) << "[mail]\naddresses = [\"" << kOurAddress << "\"]\nthread_key_file = \""
                        << key_file << "\"\n";
  int status = 0;
  for (int parallel : {1, 4}) {
    auto url = dbs.Fresh(false);
    if (!url) return 1;
    SystemClock clock;
    {  // migrate it once, as `redress migrate` would before the MTA is pointed at it
      auto rig = MakeRig(*url, signer, clock);
      if (!rig) return std::fprintf(stderr, "mailgate: %s\n", rig.error().message.c_str()), 1;
    }
    // Two rounds: new problems, then the mix of new mail and replies to them. The second
    // round needs the case ids of the first, which are read from a store opened after.
    Generator gen(templates, signer, "gate" + std::to_string(parallel));
    GateFigures total;
    int64_t misfiled = 0;
    for (int round = 0; round < 2; ++round) {
      const size_t first_new = gen.opened_count();
      std::vector<Generated> mails = gen.Round(messages / 2);
      std::vector<std::string> raws;
      for (const Generated& g : mails) raws.push_back(g.raw);
      GateFigures f = RunMailgates(redress, config, *url, raws, dir, parallel);
      total.ok += f.ok;
      total.failed += f.failed;
      total.seconds += f.seconds;
      total.cpu_seconds += f.cpu_seconds;
      total.latencies_ms.insert(total.latencies_ms.end(), f.latencies_ms.begin(), f.latencies_ms.end());
      // Where did they land? Read each message's case back through the mail tables.
      auto store = app::OpenStore(*url, app::MigratePolicy::kRequire);
      if (!store) return 1;
      size_t next_new = first_new;
      for (const Generated& g : mails) {
        std::optional<int64_t> case_id;
        const std::string id = g.raw.substr(g.raw.find("Message-ID: <") + 13,
                                            g.raw.find(">\nDate:") - g.raw.find("Message-ID: <") - 13);
        auto read = (*store)->Write([&](store::WriteTx& tx) -> Result<void> {
          auto found = tx.mail().CaseByMessageId(id);
          if (!found) return Fail(found.error());
          case_id = *found;
          return {};
        });
        if (!read) return 1;
        if (g.kind == Kind::kNew) {
          gen.Opens(next_new++, case_id.value_or(0));
        } else if (case_id != gen.opened(g.parent).case_id) {
          ++misfiled;
        }
      }
      gen.Publish();
    }
    std::sort(total.latencies_ms.begin(), total.latencies_ms.end());
    const std::string mode = "mailgate --db, " + std::to_string(parallel) + " at a time";
    std::printf("%-10s %-36s %6d mails %6.2f s %7.1f mails/s  cpu %.1f ms/mail  p50 %.1f ms  "
                "p99 %.1f ms  misfiled %lld  failed %d  load %.1f\n",
                "sqlite", mode.c_str(), total.ok + total.failed, total.seconds,
                total.ok / total.seconds, total.cpu_seconds * 1e3 / (total.ok + total.failed),
                Percentile(total.latencies_ms, 0.5), Percentile(total.latencies_ms, 0.99),
                static_cast<long long>(misfiled), total.failed, LoadAverage());
    if (total.failed || misfiled) status = 1;
  }
  fs::remove(key_file);
  fs::remove(config);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const int messages = argc > 1 ? std::stoi(argv[1]) : 6000;
  const int gate_messages = argc > 2 ? std::stoi(argv[2]) : 200;
  const std::string dir = argc > 3 ? argv[3] : "/tmp";
  const char* corpus_env = std::getenv("REDRESS_MAIL_CORPUS");
  const fs::path corpus = corpus_env && *corpus_env ? corpus_env : REDRESS_MAIL_CORPUS;

  auto start = Wall::now();
  std::vector<Template> templates = LoadTemplates(corpus);
  if (templates.empty()) {
    std::fprintf(stderr, "no usable messages in %s (set REDRESS_MAIL_CORPUS)\n", corpus.c_str());
    return 1;
  }
  size_t body_bytes = 0;
  for (const Template& t : templates) body_bytes += t.body.size() + t.mime_headers.size();
  std::printf("corpus: %zu people's messages as templates (mean %.1f KB), read in %.1f s; "
              "%u cores\n",
              templates.size(), body_bytes / 1024.0 / templates.size(), Seconds(start),
              std::thread::hardware_concurrency());

  const std::string key(32, 'k');
  auto signer = email::ThreadTokenSigner::Create(key);
  if (!signer) return 1;
  std::string key_hex;
  for (unsigned char c : key) {
    static const char* hex = "0123456789abcdef";
    key_hex += hex[c >> 4];
    key_hex += hex[c & 15];
  }

  std::string pg;
  for (const char* name : {"REDRESS_BENCH_PG_URL", "REDRESS_TEST_PG_URL"}) {
    const char* v = std::getenv(name);
    if (v && *v && pg.empty()) pg = v;
  }
  Databases dbs(dir, pg);
  int status = InProcess("sqlite", dbs, false, messages, templates, *signer);
  if (!pg.empty()) {
    status |= InProcess("postgresql", dbs, true, messages, templates, *signer);
  } else {
    std::printf("postgresql (set REDRESS_BENCH_PG_URL, or run under scripts/with-test-postgres.sh)\n");
  }
  const char* imap_env = std::getenv("MAIL_BENCH_IMAP");  // messages; 0 skips
  const int imap_messages = imap_env && *imap_env ? std::stoi(imap_env) : std::min(messages, 2000);
  if (imap_messages > 0) status |= ImapPoll(dbs, imap_messages, templates, *signer);
  const char* lmtp_env = std::getenv("MAIL_BENCH_LMTP");  // messages; 0 skips
  const int lmtp_messages = lmtp_env && *lmtp_env ? std::stoi(lmtp_env) : messages;
  if (lmtp_messages > 0) status |= Lmtp(dbs, lmtp_messages, dir, templates, *signer, key_hex);
  if (gate_messages > 0) status |= Mailgate(dbs, gate_messages, dir, templates, *signer, key_hex);
  return status;
}
