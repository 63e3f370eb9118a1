// Replies carry the whole conversation below (or between) the new words. For display the
// history is folded away, never deleted: the segments returned here are views into the
// original text and their concatenation is exactly the original, so what the customer
// wrote is always one click away and the stored message is untouched.
//
// Recognised history: ">" quote blocks (with the "On <date>, <name> wrote:" line before
// them, also in German, French, Spanish, Dutch and Portuguese), and top-posted history that
// clients write unquoted: Outlook's "-----Original Message-----" and its "From: / Sent: /
// To: / Subject:" header block (also after a line of underscores), and forwarded-message
// separators. Everything after such a header is history.
#pragma once

#include <string_view>
#include <vector>

namespace redress::email {

struct TextSegment {
  std::string_view text;
  bool quoted = false;
};

/// `text` cut into alternating new and quoted segments (adjacent segments never have the
/// same `quoted` value); empty input gives no segments.
std::vector<TextSegment> FoldQuotes(std::string_view text);

struct ReplySplit {
  std::string_view new_part;  // up to the first quoted segment
  std::string_view quoted;    // from there to the end (may include inline answers)
};

/// The text before the first quoted segment and the rest; new_part + quoted == text.
ReplySplit SplitReply(std::string_view text);

}  // namespace redress::email
