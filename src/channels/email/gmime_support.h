// GMime is a GObject library: every object it hands out with (transfer full) must be
// unreferenced exactly once, and the library must be initialised once per process before
// any call. These wrappers make both automatic so parsing code never leaks on an early
// return and never forgets g_mime_init().
#pragma once

#include <gmime/gmime.h>

#include <memory>
#include <string>

namespace redress::email {

/// Initialises GMime once per process (thread-safe, cheap after the first call).
void EnsureGMime();

/// Owns one reference to a GObject; unrefs it on destruction. Move-only.
template <class T>
class GObjectPtr {
 public:
  GObjectPtr() = default;
  /// Takes over a reference the caller owns (a (transfer full) return value).
  explicit GObjectPtr(T* owned) : ptr_(owned) {}
  GObjectPtr(GObjectPtr&& other) noexcept : ptr_(other.ptr_) { other.ptr_ = nullptr; }
  GObjectPtr& operator=(GObjectPtr&& other) noexcept {
    if (this != &other) {
      Reset();
      ptr_ = other.ptr_;
      other.ptr_ = nullptr;
    }
    return *this;
  }
  GObjectPtr(const GObjectPtr&) = delete;
  GObjectPtr& operator=(const GObjectPtr&) = delete;
  ~GObjectPtr() { Reset(); }

  T* get() const { return ptr_; }
  explicit operator bool() const { return ptr_ != nullptr; }

 private:
  void Reset() {
    if (ptr_ != nullptr) g_object_unref(ptr_);
    ptr_ = nullptr;
  }
  T* ptr_ = nullptr;
};

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
/// A string GMime or GLib allocated with g_malloc.
using GCharPtr = std::unique_ptr<char, GFree>;

/// Copies a g_malloc'd string into a std::string and frees it; nullptr gives "".
std::string TakeGString(char* owned);

/// A parser-options object with the lenient settings that real-world mail needs: loose
/// RFC 2047/2231/address compliance, and raw 8-bit headers tried as UTF-8 then Windows-1252.
struct ParserOptionsDeleter {
  void operator()(GMimeParserOptions* o) const { g_mime_parser_options_free(o); }
};
using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsDeleter>;
ParserOptionsPtr NewLenientParserOptions();

}  // namespace redress::email
