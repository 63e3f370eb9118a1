#include "peers/dovecot_peer.h"

#include <curl/curl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

namespace redress::test_peers {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(15);

// Self-contained: nothing is read from /etc/dovecot, nothing written outside @ROOT@.
constexpr char kConfigTemplate[] = R"(# Throwaway Dovecot for a Redress test.
base_dir = @ROOT@/run
state_dir = @ROOT@/state
log_path = @ROOT@/dovecot.log
instance_name = @ROOT@
protocols = imap
listen = 127.0.0.1
default_internal_user = @INTERNAL_USER@
default_internal_group = @INTERNAL_GROUP@
default_login_user = @LOGIN_USER@
auth_failure_delay = 0
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <@CERT@
ssl_key = <@KEY@
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u @ROOT@/passwd
}
userdb {
  driver = static
  args = uid=@MAIL_UID@ gid=@MAIL_GID@ home=@ROOT@/home/%u
}
first_valid_uid = @MAIL_UID@
mail_location = maildir:~/Maildir
# IDLE is on by default. Dovecot learns of changes by inotify; should that be unavailable,
# it looks every second instead of every 30 s, so IDLE tests never wait on the fallback.
mailbox_idle_check_interval = 1 secs
@CAPABILITY@service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = @IMAP_PORT@
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = @IMAPS_PORT@
    ssl = yes
  }
}
service anvil {
  chroot =
  # No growing delays for a client that failed to log in (the wrong-password tests).
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
)";

// Dovecot 2.3's post-login capabilities without IDLE (imap_capability replaces the list).
constexpr char kCapabilitiesWithoutIdle[] =
    "# A server without IDLE: what Dovecot announces after login, IDLE left out.\n"
    "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY "
    "THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE "
    "UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH "
    "ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY LITERAL+ "
    "SPECIAL-USE\n";

void Substitute(std::string& text, const std::string& placeholder, const std::string& value) {
  for (size_t at; (at = text.find(placeholder)) != std::string::npos;) {
    text.replace(at, placeholder.size(), value);
  }
}

std::string UserName(uid_t uid) {
  passwd* entry = getpwuid(uid);
  return entry != nullptr ? entry->pw_name : std::to_string(uid);
}

std::string GroupName(gid_t gid) {
  group* entry = getgrgid(gid);
  return entry != nullptr ? entry->gr_name : std::to_string(gid);
}

// The processes `pid` started that are still its children (/proc/<pid>/task/<pid>/children).
std::vector<pid_t> ChildrenOf(pid_t pid) {
  const std::string path =
      "/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children";
  std::ifstream file(path);
  std::vector<pid_t> children;
  for (pid_t child; file >> child;) children.push_back(child);
  return children;
}

// Whether `pid` is still running (not gone, not a zombie waiting for its new parent).
bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t name_end = line.rfind(')');
  return name_end != std::string::npos && line.size() > name_end + 2 && line[name_end + 2] != 'Z';
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->data->size() - upload->offset);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

size_t AppendBody(char* data, size_t size, size_t count, void* sink) {
  static_cast<std::string*>(sink)->append(data, size * count);
  return size * count;
}

}  // namespace

Result<std::unique_ptr<DovecotPeer>> DovecotPeer::Start(Options options) {
  // As root, under /tmp: the mail user (nobody) must be able to reach its home, which a
  // $TMPDIR such as /root/tmp would not allow.
  auto dir = ScratchDir::Create("redress-dovecot", geteuid() == 0 ? "/tmp" : "");
  if (!dir) return Fail(dir.error());
  auto peer = std::unique_ptr<DovecotPeer>(new DovecotPeer(std::move(*dir), options));
  // Mail processes run as another user when we are root: they must reach their home.
  chmod(peer->dir_.path().c_str(), 0755);
  auto tls = MakeSelfSignedCertificate(peer->dir_.path().string());
  if (!tls) return Fail(tls.error());
  peer->tls_ = *tls;

  // The ports are free when picked; if another process takes one before Dovecot binds it,
  // Dovecot fails to start and we try again with new ports.
  std::string last_error;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto imap = PickFreeLoopbackPort();
    auto imaps = PickFreeLoopbackPort();
    if (!imap || !imaps) return Fail(ErrorCode::kInternal, "no free loopback port");
    if (*imap == *imaps) continue;
    peer->imap_port_ = *imap;
    peer->imaps_port_ = *imaps;
    if (auto written = peer->WriteConfig(); !written) return Fail(written.error());
    auto launched = peer->Launch();
    if (launched) return peer;
    last_error = launched.error().message;
  }
  auto log = ReadFile(peer->dir_ / "dovecot.log");
  return Fail(ErrorCode::kUnavailable,
              "Dovecot did not start: " + last_error + "\n" + (log ? *log : std::string()));
}

Result<void> DovecotPeer::Launch() {
  ChildProcess::Options options;
  options.argv = {"/usr/sbin/dovecot", "-F", "-c", dir_ / "dovecot.conf"};
  options.output_file = dir_ / "dovecot.out";
  auto process = ChildProcess::Start(options);
  if (!process) return Fail(process.error());
  process_ = std::move(*process);
  auto greeting = AwaitGreeting(imap_port_, kStartTimeout, process_.get());
  if (greeting && greeting->starts_with("* OK")) return {};
  process_->Stop();
  return Fail(ErrorCode::kUnavailable,
              greeting ? "unexpected greeting: " + *greeting : greeting.error().message);
}

Result<void> DovecotPeer::Restart() {
  Stop();
  if (auto launched = Launch(); !launched) {
    auto log = ReadFile(dir_ / "dovecot.log");
    return Fail(ErrorCode::kUnavailable,
                "Dovecot did not start again: " + launched.error().message + "\n" +
                    (log ? *log : std::string()));
  }
  return {};
}

DovecotPeer::~DovecotPeer() { Stop(); }

void DovecotPeer::Stop() {
  if (!process_) return;
  // As a service manager stops a server (systemd ends every process of the unit): stopping
  // Dovecot's master alone lets imap processes that serve a client linger, an IDLE one for
  // as long as its client stays quiet, so the connection would outlive the server.
  const std::vector<pid_t> children =
      process_->Running() ? ChildrenOf(process_->pid()) : std::vector<pid_t>{};
  process_->Stop();
  for (pid_t child : children) kill(child, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (pid_t child : children) {
    while (Alive(child) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (Alive(child)) kill(child, SIGKILL);
  }
}

Result<void> DovecotPeer::WriteConfig() {
  const std::string root = dir_.path().string();
  std::filesystem::create_directories(root + "/run");
  std::filesystem::create_directories(root + "/state");
  std::filesystem::create_directories(root + "/home/" + user_);

  bool as_root = geteuid() == 0;
  uid_t mail_uid = as_root ? 65534 : getuid();  // nobody: Dovecot refuses mail as root
  gid_t mail_gid = as_root ? 65534 : getgid();
  if (chown((root + "/home/" + user_).c_str(), mail_uid, mail_gid) != 0 && as_root) {
    return Fail(ErrorCode::kInternal, "cannot hand the mail store to nobody");
  }
  std::string internal_user = as_root ? "dovecot" : UserName(getuid());
  std::string internal_group = as_root ? "dovecot" : GroupName(getgid());
  std::string login_user = as_root ? "dovenull" : UserName(getuid());

  auto passwd = WriteFile(root + "/passwd", user_ + ":{PLAIN}" + password_ + "::::::\n");
  if (!passwd) return passwd;
  std::string config = kConfigTemplate;
  Substitute(config, "@ROOT@", root);
  Substitute(config, "@INTERNAL_USER@", internal_user);
  Substitute(config, "@INTERNAL_GROUP@", internal_group);
  Substitute(config, "@LOGIN_USER@", login_user);
  Substitute(config, "@CERT@", tls_.certificate);
  Substitute(config, "@KEY@", tls_.private_key);
  Substitute(config, "@MAIL_UID@", std::to_string(mail_uid));
  Substitute(config, "@MAIL_GID@", std::to_string(mail_gid));
  Substitute(config, "@IMAP_PORT@", std::to_string(imap_port_));
  Substitute(config, "@IMAPS_PORT@", std::to_string(imaps_port_));
  Substitute(config, "@CAPABILITY@", options_.idle ? "" : kCapabilitiesWithoutIdle);
  return WriteFile(root + "/dovecot.conf", config);
}

Result<void> DovecotPeer::Append(const std::string& folder, const std::string& message) {
  return Append(folder, std::vector<std::string>{message});
}

Result<void> DovecotPeer::Append(const std::string& folder,
                                 const std::vector<std::string>& messages) {
  // One handle for all: libcurl keeps the logged-in connection between the APPENDs.
  std::unique_ptr<CURL, void (*)(CURL*)> h(curl_easy_init(), curl_easy_cleanup);
  std::string url = "imap://127.0.0.1:" + std::to_string(imap_port_) + "/" + folder;
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_USERNAME, user_.c_str());
  curl_easy_setopt(h.get(), CURLOPT_PASSWORD, password_.c_str());
  curl_easy_setopt(h.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h.get(), CURLOPT_READFUNCTION, &ReadUpload);
  for (const std::string& message : messages) {
    Upload upload{&message};
    curl_easy_setopt(h.get(), CURLOPT_READDATA, &upload);
    curl_easy_setopt(h.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    if (CURLcode code = curl_easy_perform(h.get()); code != CURLE_OK) {
      return Fail(ErrorCode::kInternal, std::string("APPEND failed: ") + curl_easy_strerror(code));
    }
  }
  return {};
}

Result<std::string> DovecotPeer::Command(const std::string& folder, const std::string& command) {
  CURL* h = curl_easy_init();
  std::string url = "imap://127.0.0.1:" + std::to_string(imap_port_) + "/" + folder;
  std::string output;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_USERNAME, user_.c_str());
  curl_easy_setopt(h, CURLOPT_PASSWORD, password_.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, command.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &output);
  CURLcode code = curl_easy_perform(h);
  curl_easy_cleanup(h);
  if (code != CURLE_OK) {
    return Fail(ErrorCode::kInternal, "IMAP '" + command + "' failed: " + curl_easy_strerror(code));
  }
  return output;
}

}  // namespace redress::test_peers
