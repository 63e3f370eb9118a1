// The shapes of the Redress HTTP API v1 (docs/openapi.yaml), as the front end reads them.
// Enumerations the server may grow (event types) are typed as open strings on purpose:
// the UI must render an unknown event rather than crash on it.

/** `mailgate`: an account for a mail server handing over inbound mail; it can do nothing else. */
export type Role = 'customer' | 'agent' | 'supervisor' | 'admin' | 'mailgate';
export type CaseStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'web' | 'email' | 'chat' | 'phone' | 'social' | 'sms' | 'api';
export type Visibility = 'public' | 'internal';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'new', 'open', 'pending', 'on_hold', 'solved', 'closed',
];
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/** The signed-in principal: a customer id for customers, a user id for staff. */
export interface Me {
  role: Role;
  id: number;
  name: string;
  level: number;
}

export interface LoginResult {
  principal: Me;
  csrf_token: string;
  expires_at: string;
}

export interface Social {
  network: string;
  handle: string;
}

export interface Customer {
  id: number;
  name: string;
  emails: string[];
  phones: string[];
  social: Social[];
  created_at: string;
}

export interface MailServerView {
  url: string;
  tls: string;
  username: string;
  password_configured: boolean;
}

export interface ChannelsView {
  email: {
    enabled: boolean;
    addresses: string[];
    from_name: string;
    smtp: MailServerView | null;
    mailboxes: {
      name: string;
      server: MailServerView;
      folder: string;
      processed_folder: string;
      category: string;
      poll_seconds: number;
      /** Watched with IMAP IDLE (new mail is fetched within seconds), besides the polls. */
      idle: boolean;
      uidvalidity: number | null;
      last_uid: number | null;
      last_poll_at: string | null;
    }[];
    outbox: { queued: number; sent: number; failed: number };
    last_inbound_at: string | null;
  };
}

/** An open promise on one of a customer's cases (GET /customers/{id}/promises). */
export interface CustomerPromise {
  case_id: number;
  case_subject: string;
  id: number;
  what: string;
  due_at: string;
  made_by: string;
  overdue: boolean;
}

export interface Owner {
  id: number;
  name: string;
}

export interface CaseCounts {
  customer_messages: number;
  staff_replies: number;
  internal_notes?: number;
  transfers: number;
}

export interface Case {
  id: number;
  number: number;
  customer_id: number;
  subject: string;
  status: CaseStatus;
  priority: Priority;
  category: string;
  level: number;
  owner: Owner | null;
  channel: Channel;
  opened_at: string;
  updated_at: string;
  first_response_at: string | null;
  counts: CaseCounts;
  last_seq?: number;
  head_hash?: string;
  /** Absent from a server without the escalation engine; every page must cope. */
  escalation?: EscalationView | null;
  /** Staff only. */
  sla?: SlaView | null;
  credits?: Credit[];
  level_name?: string;
}

// ---- escalation (docs/escalation.md; the JSON of policy::ToJson(CustomerEscalationView))

export interface EscalationLevel {
  level: number;
  name: string;
  contact: string;
}

export type PromiseStatus = 'open' | 'kept' | 'broken';

export interface PromiseView {
  id: number;
  what: string;
  due_at: string;
  made_by: string;
  status: PromiseStatus | string;
  settled_at: string | null;
  overdue: boolean;
}

export type DecisionOutcome = 'approved' | 'partly_approved' | 'denied' | 'cannot_resolve';

export interface ExternalRoute {
  id: string;
  name: string;
  kind: string;
  address: string;
  note: string;
}

export interface DecisionView {
  outcome: DecisionOutcome | string;
  reason: string;
  next_step: string;
  decided_by: string;
  at: string;
  appealed: boolean;
  external_route: ExternalRoute | null;
}

export interface Ladder {
  next_level: EscalationLevel | null;
  may_escalate_now: boolean;
  may_escalate_from: string | null;
  note: string;
}

export interface EscalationView {
  level: EscalationLevel;
  owner_name: string;
  next_step_due: string | null;
  next_step: string;
  overdue: boolean;
  waiting_for_customer: boolean;
  promises: PromiseView[];
  decision: DecisionView | null;
  /** The server nests the ladder; the contract also allows these at the top level. */
  ladder?: Ladder;
  next_level?: EscalationLevel | null;
  may_escalate_now?: boolean;
  may_escalate_from?: string | null;
  escalation_note?: string;
  external_routes: ExternalRoute[];
  escalations: number;
}

export interface SlaView {
  first_response_due: string | null;
  next_update_due: string | null;
  resolution_due: string | null;
  breached: string[];
  paused: boolean;
}

export type CreditStatus = 'requested' | 'approved' | 'denied';

export interface Credit {
  id: number;
  amount: number;
  currency: string;
  reason: string;
  status: CreditStatus | string;
  requested_by: string;
  approver_level: number;
}

export type QueueName = 'mine' | 'my_level' | 'breaching_soon' | 'unassigned';

export interface QueueCount {
  id: QueueName | string;
  count: number;
}

export interface PolicySource {
  source: string;
  loaded_at: string;
  origin: 'file' | 'database' | 'built-in' | string;
}

/** The `errors` of a 422 from PUT /admin/escalation-policy. */
export interface PolicyError {
  line?: number;
  field?: string;
  message: string;
}

export interface NewUser {
  email: string;
  name: string;
  role: Exclude<Role, 'customer'>;
  level?: number;
  password?: string;
}

export interface Actor {
  kind: 'customer' | 'staff' | 'system';
  id: number;
  name: string;
}

export interface CaseEvent {
  seq: number;
  type: string;
  at: string;
  actor: Actor;
  channel: string;
  visibility: Visibility;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface CaseWithEvents {
  case: Case;
  events: CaseEvent[];
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: Exclude<Role, 'customer'>;
  level: number;
  active: boolean;
}

/** Every list response: a page of items and the cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** RFC 9457 problem details with Redress's `field` and `request_id` members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  field?: string;
  request_id?: string;
  errors?: PolicyError[];
}

/** An uploaded file, as POST /api/v1/attachments answers and events list it. */
export interface Attachment {
  id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  url: string;
}

export interface NewCase {
  subject: string;
  body: string;
  attachment_ids?: number[];
  customer_id?: number;
  channel?: Channel;
  priority?: Priority;
  category?: string;
}

export interface AssignInput {
  owner_id: number;
  reason?: string;
  handoff_note?: string;
}

export interface CaseFilter {
  queue?: QueueName;
  sort?: 'due';
  status?: CaseStatus;
  owner?: number | 'none';
  level?: number;
  customer?: number;
}

export function isStaff(me: Me): boolean {
  return me.role !== 'customer';
}
