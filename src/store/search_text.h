// What the full-text index holds and how a search is read, shared by both backends so
// that a search finds the same cases on SQLite (FTS5) and PostgreSQL (tsvector + GIN).
//
// Indexed: a case's subject (when the case is opened) and the "body" of every public event
// that has one (the opening message, customer messages, staff replies). Internal notes are
// not indexed: search must never leak them to someone who may not see them.
// A search is a list of words; a case matches when one indexed text (the subject or one
// message) contains every word, ignoring case. No stemming, no prefixes, no operators.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "domain/case_state.h"
#include "domain/event.h"

namespace redress::store {

/// The texts to index for these events appended to `after` (`is_new`: the case was just
/// opened, so its subject is indexed too).
std::vector<std::string> SearchTexts(bool is_new, const domain::CaseState& after,
                                     const std::vector<domain::Event>& events);

/// The words of a search: runs of letters and digits (any non-ASCII byte counts as a
/// letter, so UTF-8 words stay whole), lowercased where ASCII. Empty when there are none.
std::vector<std::string> SearchWords(const std::string& text);

/// SearchWords(text), checked as Store::SearchCases promises: kInvalidArgument (field "q")
/// when there are no words, (field "limit") when limit is not 1..200.
Result<std::vector<std::string>> CheckedSearchWords(const std::string& text, int limit);

}  // namespace redress::store
