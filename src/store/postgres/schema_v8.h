// Schema version 8 of the PostgreSQL backend (registered as the next version after 6
// until the lead renumbers at merge): an index for the acknowledgement loop guard, which
// asks for every new email case when an acknowledgement last went to its sender
// (MailTx::LastOutboundTo); without it that question scans the whole outbox.
#pragma once

#include <string_view>

namespace redress::store::postgres {

inline constexpr std::string_view kSchemaV8 = R"sql(
CREATE INDEX mail_outbox_by_recipient ON mail_outbox (purpose, recipients, created_at);
)sql";

}  // namespace redress::store::postgres
