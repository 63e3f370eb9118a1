// Subjects compared as people see them: "Re: AW: [fedora-devel] Build fails (fwd)" and
// "build fails" are the same conversation. Used by the sender+subject threading rule,
// the last resort when a reply carries neither token nor References.
#pragma once

#include <string>
#include <string_view>

namespace redress::email {

/// The base subject (after RFC 5256 section 2.1, simplified): reply and forward prefixes in
/// common languages ("Re:", "Fwd:", "AW:", "SV:", "Re[2]:" ...) and leading "[list]" tags
/// removed repeatedly, "[Redress #N]" tags removed anywhere, a trailing "(fwd)" removed,
/// whitespace collapsed, ASCII letters lowercased.
std::string NormalizeSubject(std::string_view subject);

/// Whether the subject starts with a reply prefix ("Re:", "AW:", "SV:" ...).
bool HasReplyPrefix(std::string_view subject);

}  // namespace redress::email
