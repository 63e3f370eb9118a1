#include "peers/smtp_peer.h"

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <sstream>

namespace redress::test_peers {
namespace {

uint16_t PortNamed(const std::string& ready_line, const std::string& name) {
  size_t at = ready_line.find(" " + name + "=");
  if (at == std::string::npos) return 0;
  return static_cast<uint16_t>(std::stoi(ready_line.substr(at + name.size() + 2)));
}

}  // namespace

Result<std::unique_ptr<SmtpPeer>> SmtpPeer::Start() {
  auto dir = ScratchDir::Create("redress-smtp");
  if (!dir) return Fail(dir.error());
  auto peer = std::unique_ptr<SmtpPeer>(new SmtpPeer(std::move(*dir)));
  auto tls = MakeSelfSignedCertificate(peer->dir_.path().string());
  if (!tls) return Fail(tls.error());
  peer->tls_ = *tls;
  std::filesystem::create_directories(peer->dir_ / "spool");

  ChildProcess::Options options;
  // Debian's python3, which has python3-aiosmtpd (a python3 earlier on PATH may not).
  options.argv = {"/usr/bin/python3",
                  REDRESS_SMTP_PEER_SCRIPT,
                  "--spool",
                  peer->dir_ / "spool",
                  "--cert",
                  peer->tls_.certificate,
                  "--key",
                  peer->tls_.private_key,
                  "--user",
                  peer->user_,
                  "--password",
                  peer->password_};
  options.output_file = peer->dir_ / "smtp_peer.log";
  options.pipe_stdout = true;
  options.pipe_stdin = true;
  auto process = ChildProcess::Start(options);
  if (!process) return Fail(process.error());
  peer->process_ = std::move(*process);
  auto ready = peer->process_->ReadLine(std::chrono::seconds(15));
  if (!ready || !ready->starts_with("READY ")) {
    auto log = ReadFile(peer->dir_ / "smtp_peer.log");
    return Fail(ErrorCode::kUnavailable,
                "the SMTP peer did not start: " + (ready ? *ready : ready.error().message) + "\n" +
                    (log ? *log : std::string()));
  }
  peer->plain_port_ = PortNamed(*ready, "plain");
  peer->starttls_port_ = PortNamed(*ready, "starttls");
  peer->smtps_port_ = PortNamed(*ready, "smtps");
  peer->silent_port_ = PortNamed(*ready, "silent");
  return peer;
}

SmtpPeer::~SmtpPeer() {
  if (process_) process_->Stop();
}

void SmtpPeer::Forget() {
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "spool")) {
    std::filesystem::remove(entry.path());
  }
}

Result<std::vector<ReceivedMail>> SmtpPeer::Received() const {
  std::map<int, ReceivedMail> by_number;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "spool")) {
    if (entry.path().extension() != ".json") continue;
    int number = std::stoi(entry.path().stem().string());
    auto meta_text = ReadFile(entry.path().string());
    if (!meta_text) return Fail(meta_text.error());
    auto raw = ReadFile((dir_.path() / "spool" / (entry.path().stem().string() + ".eml")).string());
    if (!raw) return Fail(raw.error());
    boost::json::object meta = boost::json::parse(*meta_text).as_object();
    ReceivedMail mail;
    mail.raw = std::move(*raw);
    mail.mail_from = meta.at("mail_from").as_string().c_str();
    for (const auto& rcpt : meta.at("rcpt_tos").as_array()) {
      mail.rcpt_tos.push_back(rcpt.as_string().c_str());
    }
    if (meta.at("login").is_string()) mail.login = meta.at("login").as_string().c_str();
    mail.tls = meta.at("tls").as_bool();
    by_number.emplace(number, std::move(mail));
  }
  std::vector<ReceivedMail> received;
  for (auto& [number, mail] : by_number) received.push_back(std::move(mail));
  return received;
}

}  // namespace redress::test_peers
