// Schema version 7 of the PostgreSQL backend:
// an index for the acknowledgement loop guard, which
// asks for every new email case when an acknowledgement last went to its sender
// (MailTx::LastOutboundTo); without it that question scans the whole outbox.
#pragma once

#include <string_view>

namespace redress::store::postgres {

inline constexpr std::string_view kSchemaV7 = R"sql(
CREATE INDEX mail_outbox_by_recipient ON mail_outbox (purpose, recipients, created_at);
)sql";

}  // namespace redress::store::postgres
