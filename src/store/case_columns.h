// The columns of a case's projection row, in the one order every statement of both
// backends lists them: the reads (ReadCase) take them by position 0..20, and the writes
// bind them as parameters 1..21 (BindProjection, ProjectionParams).
#pragma once

#define REDRESS_CASE_COLUMNS                                                            \
  "id, customer_id, subject, status, priority, category, level, owner_id, owner_name, " \
  "channel, opened_at, updated_at, first_response_at, last_customer_message_at, "       \
  "customer_messages, staff_replies, internal_notes, transfers, last_seq, head_hash, "  \
  "commitments"
