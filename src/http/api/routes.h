// Every route of the HTTP API v1, registered in one place so the full surface is visible
// at a glance; docs/api.md and docs/openapi.yaml describe the same list.
#pragma once

#include "http/router.h"

namespace redress::http::api {

void RegisterOperationsRoutes(Router& router);  // healthz, readyz, metrics, openapi
void RegisterAuthRoutes(Router& router);        // login, logout, me
void RegisterCustomerRoutes(Router& router);
void RegisterCaseRoutes(Router& router);        // cases and their events
void RegisterCaseActionRoutes(Router& router);  // messages, notes, assign, status, ...
void RegisterUserRoutes(Router& router);
void RegisterChangeRoutes(Router& router);      // live updates (server-sent events)
void RegisterRecordRoutes(Router& router);      // a case's record, as a download
void RegisterEscalationRoutes(Router& router);  // escalate, promises, decisions, credits
void RegisterPolicyRoutes(Router& router);      // the escalation policy (admin)
void RegisterInboundMailRoutes(Router& router); // raw email handed over by an MTA
void RegisterCannedReplyRoutes(Router& router); // canned replies for the composer
void RegisterSignInLinkRoutes(Router& router);  // one-time sign-in links for customers
void RegisterCustomerPromiseRoutes(Router& router);  // a customer's open promises (staff)
void RegisterChannelRoutes(Router& router);     // configured channels and their state (admin)
void RegisterAttachmentRoutes(Router& router);  // uploaded files
/// Only for `serve --test-clock`: the handlers need services.test_clock.
void RegisterTestClockRoutes(Router& router);

inline void RegisterAllRoutes(Router& router) {
  RegisterOperationsRoutes(router);
  RegisterAuthRoutes(router);
  RegisterCustomerRoutes(router);
  RegisterCaseRoutes(router);
  RegisterCaseActionRoutes(router);
  RegisterUserRoutes(router);
  RegisterChangeRoutes(router);
  RegisterRecordRoutes(router);
  RegisterEscalationRoutes(router);
  RegisterPolicyRoutes(router);
  RegisterInboundMailRoutes(router);
  RegisterCannedReplyRoutes(router);
  RegisterSignInLinkRoutes(router);
  RegisterCustomerPromiseRoutes(router);
  RegisterChannelRoutes(router);
  RegisterAttachmentRoutes(router);
}

}  // namespace redress::http::api
