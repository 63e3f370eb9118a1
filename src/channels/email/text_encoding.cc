#include "channels/email/text_encoding.h"

#include <gmime/gmime.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "channels/email/gmime_support.h"
#include "core/ascii.h"
#include "core/utf8.h"

namespace redress::email {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 if there is none
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
size_t ValidSequenceLength(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  auto cont = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  uint8_t b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    uint8_t b1 = byte(1);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    uint8_t b1 = byte(1);
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

bool HasEightBit(std::string_view s) {
  for (char c : s) {
    if (static_cast<uint8_t>(c) >= 0x80) return true;
  }
  return false;
}

// Converters to UTF-8 kept open per thread, by charset name. Opening one loads glibc's
// gconv module for the charset (dlopen) and closing the last one unloads it again (munmap,
// a TLB shootdown on every core): per message that was most of the cost of reading mail
// in a non-UTF-8 charset. A few dozen charsets occur in practice; past kMaxOpen the
// rest are opened and closed each time as before.
class ConverterCache {
 public:
  ~ConverterCache() {
    for (auto& [name, cd] : open_) g_mime_iconv_close(cd);
  }

  /// A converter in its initial shift state, or (iconv_t)-1. `owned` tells the caller to
  /// close it (the cache was full).
  iconv_t Get(const char* charset, bool& owned) {
    owned = false;
    for (auto& [name, cd] : open_) {
      if (name == charset) {
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        return cd;
      }
    }
    iconv_t cd = g_mime_iconv_open("UTF-8", charset);
    if (cd == reinterpret_cast<iconv_t>(-1)) return cd;
    if (open_.size() >= kMaxOpen) {
      owned = true;
      return cd;
    }
    open_.emplace_back(charset, cd);
    return cd;
  }

 private:
  static constexpr size_t kMaxOpen = 32;
  std::vector<std::pair<std::string, iconv_t>> open_;
};

// Converts with iconv, replacing each byte that cannot be converted with U+FFFD and going
// on with the next byte (iconv itself stops at the first bad byte). False if iconv does
// not know the charset.
bool IconvToUtf8(std::string_view bytes, const char* charset, DecodedText& out) {
  thread_local ConverterCache converters;
  bool owned = false;
  iconv_t cd = converters.Get(charset, owned);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  std::string result;
  result.reserve(bytes.size() + bytes.size() / 2);
  char buffer[4096];
  char* in = const_cast<char*>(bytes.data());  // iconv's signature is not const-correct
  size_t in_left = bytes.size();
  while (true) {
    char* outp = buffer;
    size_t out_left = sizeof(buffer);
    // A final call with no input flushes stateful encodings (ISO-2022-JP's shift back).
    size_t rc = in_left > 0 ? iconv(cd, &in, &in_left, &outp, &out_left)
                            : iconv(cd, nullptr, nullptr, &outp, &out_left);
    result.append(buffer, static_cast<size_t>(outp - buffer));
    if (rc != static_cast<size_t>(-1)) {
      if (in_left == 0) break;
      continue;
    }
    if (errno == E2BIG) continue;
    // EILSEQ (invalid byte) or EINVAL (truncated sequence at the end): replace one byte.
    result.append(kReplacement);
    out.replaced_invalid = true;
    if (in_left == 0) break;
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state after the bad byte
  }
  if (owned) g_mime_iconv_close(cd);
  // iconv tables can pass through things (e.g. lone surrogates from UTF-16) that are not
  // valid UTF-8; scrub so the guarantee holds whatever the library did.
  if (!ValidUtf8(result)) {
    result = ScrubUtf8(result);
    out.replaced_invalid = true;
  }
  out.text = std::move(result);
  return true;
}

}  // namespace

std::string ScrubUtf8(std::string_view s) {
  if (ValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  while (i < s.size()) {
    size_t n = ValidSequenceLength(s.substr(i));
    if (n == 0) {
      out.append(kReplacement);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

DecodedText DecodeToUtf8(std::string_view bytes, std::string_view charset) {
  EnsureGMime();
  DecodedText out;
  std::string name = AsciiLower(TrimAsciiSpace(charset));
  bool ascii_label = name.empty() || name == "us-ascii" || name == "ascii";
  if (ascii_label || name == "utf-8" || name == "utf8") {
    if (!ascii_label || !HasEightBit(bytes) || ValidUtf8(bytes)) {
      out.text = ScrubUtf8(bytes);
      out.replaced_invalid = out.text.size() != bytes.size() || out.text != bytes;
      return out;
    }
    // Unlabelled 8-bit text that is not UTF-8: most likely a Western legacy charset.
    IconvToUtf8(bytes, "windows-1252", out);
    return out;
  }
  if (IconvToUtf8(bytes, name.c_str(), out)) return out;
  out.unknown_charset = true;
  if (ValidUtf8(bytes)) {
    out.text = std::string(bytes);
  } else {
    IconvToUtf8(bytes, "windows-1252", out);
  }
  return out;
}

}  // namespace redress::email
