// Splitting an mbox file into messages, for importing archives and for the test corpus.
// mbox has no length fields: a message starts at a "From " envelope line. Real files are
// inconsistent (envelope lines without the blank line before them, body lines starting
// with "From " that nobody escaped), so a line counts as an envelope only when it looks
// like one: "From -" or "From <sender> <asctime date>".
#pragma once

#include <string_view>
#include <vector>

namespace redress::email {

/// The messages of `mbox`, each starting with its envelope line (ParseMessage skips it).
/// Text before the first envelope line, if any, is returned as a message of its own.
std::vector<std::string_view> SplitMbox(std::string_view mbox);

}  // namespace redress::email
