// A typed client for the Redress HTTP API over fetch.
//
// Sessions: login sets the HttpOnly `redress_session` cookie and returns a CSRF token that
// must accompany every unsafe request. The token is kept in localStorage so a reload or a
// second tab can still write; the cookie itself never leaves the browser's cookie jar.
// Every POST carries an Idempotency-Key: callers that may retry one logical action (a reply
// sent twice after a network error) pass the same key and the server writes it once.
import { ApiError, type ErrorContext, errorFromResponse, networkError } from './errors';
import { newIdempotencyKey } from './idempotency';
import type {
  AssignInput, Attachment, Case, CaseEvent, ChannelsView, CustomerPromise, CaseFilter, CaseStatus, CaseWithEvents, Customer,
  DecisionOutcome, LoginResult, Me, NewCase, NewUser, Page, PolicySource, Priority, QueueCount, User,
} from './types';
import type { CannedReply } from '../lib/canned';

export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

const CSRF_KEY = 'redress.csrf';

export function browserTokenStore(): TokenStore {
  return {
    get: () => {
      try {
        return localStorage.getItem(CSRF_KEY);
      } catch {
        return null;
      }
    },
    set: (token) => {
      try {
        if (token === null) localStorage.removeItem(CSRF_KEY);
        else localStorage.setItem(CSRF_KEY, token);
      } catch {
        // Storage disabled: the token lives only as long as this page.
      }
    },
  };
}

export function memoryTokenStore(): TokenStore {
  let token: string | null = null;
  return { get: () => token, set: (t) => { token = t; } };
}

export interface RequestOptions {
  body?: unknown;
  /** Bytes sent as they are, with their own media type (an upload), instead of `body`. */
  raw?: Blob;
  query?: Record<string, string | number | undefined | null>;
  idempotencyKey?: string;
  context?: ErrorContext;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const UNSAFE: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export class ApiClient {
  /** Called when the server says the session is gone, so the app can show sign-in. */
  onSessionEnded: (() => void) | null = null;

  constructor(
    private readonly baseUrl = '',
    private readonly tokens: TokenStore = browserTokenStore(),
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.raw !== undefined) headers['Content-Type'] = options.raw.type;
    else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (UNSAFE.has(method)) {
      const csrf = this.tokens.get();
      if (csrf) headers['X-CSRF-Token'] = csrf;
    }
    if (method === 'POST') headers['Idempotency-Key'] = options.idempotencyKey ?? newIdempotencyKey();

    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path + buildQuery(options.query), {
        method,
        headers,
        body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        credentials: 'same-origin',
      });
    } catch {
      throw networkError();
    }

    const text = await response.text();
    if (!response.ok) {
      const error = errorFromResponse(
        response.status, response.headers.get('Content-Type'), text, options.context,
      );
      if (error.isUnauthenticated && options.context !== 'login' && options.context !== 'link') {
        this.tokens.set(null);
        this.onSessionEnded?.();
      }
      throw error;
    }
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw errorFromResponse(response.status, null, text, options.context);
    }
  }

  // ---- auth

  async login(email: string, password: string): Promise<Me> {
    const result = await this.request<LoginResult>('POST', '/api/v1/auth/login', {
      body: { email, password },
      context: 'login',
    });
    this.tokens.set(result.csrf_token);
    return result.principal;
  }

  /** Asks for a one-time sign-in link; the answer is the same whether or not the address has an account. */
  requestSignInLink(email: string): Promise<{ message: string }> {
    return this.request<{ message: string }>('POST', '/api/v1/auth/link', { body: { email }, context: 'link' });
  }

  async redeemSignInLink(token: string): Promise<Me> {
    const result = await this.request<LoginResult>('POST', '/api/v1/auth/link/redeem', {
      body: { token },
      context: 'link',
    });
    this.tokens.set(result.csrf_token);
    return result.principal;
  }

  sendSignInLink(customerId: number): Promise<{ sent_to: string }> {
    return this.request<{ sent_to: string }>('POST', `/api/v1/customers/${customerId}/sign-in-link`, { context: 'customer' });
  }

  async logout(): Promise<void> {
    try {
      await this.request<unknown>('POST', '/api/v1/auth/logout');
    } finally {
      this.tokens.set(null);
    }
  }

  /** The signed-in principal, or null when there is no session (or no CSRF token for it). */
  async me(): Promise<Me | null> {
    if (this.tokens.get() === null) return null;
    try {
      return await this.request<Me>('GET', '/api/v1/me');
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated) return null;
      throw error;
    }
  }

  // ---- cases

  listCases(filter: CaseFilter, cursor: string | null, limit = 200): Promise<Page<Case>> {
    return this.request<Page<Case>>('GET', '/api/v1/cases', {
      query: { ...filter, cursor, limit },
    });
  }

  /**
   * Where the case's record downloads from. A plain link works: the session cookie
   * authenticates the GET, and the server names the file (Content-Disposition).
   */
  recordUrl(caseId: number): string {
    return `${this.baseUrl}/api/v1/cases/${caseId}/record`;
  }

  getCase(id: number): Promise<Case> {
    return this.request<Case>('GET', `/api/v1/cases/${id}`, { context: 'case' });
  }

  listEvents(caseId: number, cursor: string | null, limit = 500): Promise<Page<CaseEvent>> {
    return this.request<Page<CaseEvent>>('GET', `/api/v1/cases/${caseId}/events`, {
      query: { cursor, limit },
      context: 'case',
    });
  }

  /** Stores one file; its id goes into `attachment_ids` of the request that uses it. */
  uploadAttachment(file: File): Promise<Attachment> {
    return this.request<Attachment>('POST', '/api/v1/attachments', {
      raw: file,
      query: { filename: file.name },
      context: 'upload',
    });
  }

  createCase(input: NewCase, idempotencyKey?: string): Promise<Case> {
    return this.request<Case>('POST', '/api/v1/cases', { body: input, idempotencyKey });
  }

  sendMessage(caseId: number, body: string, idempotencyKey?: string): Promise<CaseWithEvents> {
    return this.request<CaseWithEvents>('POST', `/api/v1/cases/${caseId}/messages`, {
      body: { body, channel: 'web' }, idempotencyKey, context: 'case',
    });
  }

  addNote(caseId: number, body: string, idempotencyKey?: string): Promise<CaseWithEvents> {
    return this.request<CaseWithEvents>('POST', `/api/v1/cases/${caseId}/notes`, {
      body: { body }, idempotencyKey, context: 'case',
    });
  }

  assign(caseId: number, input: AssignInput, idempotencyKey?: string): Promise<CaseWithEvents> {
    return this.request<CaseWithEvents>('POST', `/api/v1/cases/${caseId}/assign`, {
      body: input, idempotencyKey, context: 'case',
    });
  }

  setStatus(caseId: number, status: CaseStatus, reason?: string): Promise<CaseWithEvents> {
    return this.request<CaseWithEvents>('POST', `/api/v1/cases/${caseId}/status`, {
      body: reason ? { status, reason } : { status }, context: 'case',
    });
  }

  setPriority(caseId: number, priority: Priority): Promise<CaseWithEvents> {
    return this.request<CaseWithEvents>('POST', `/api/v1/cases/${caseId}/priority`, {
      body: { priority }, context: 'case',
    });
  }

  // ---- escalation, promises, decisions, credit (docs/escalation.md)

  private caseAction(caseId: number, action: string, body: unknown, idempotencyKey?: string): Promise<CaseWithEvents> {
    return this.request<CaseWithEvents>('POST', `/api/v1/cases/${caseId}/${action}`, {
      body, idempotencyKey, context: 'case',
    });
  }

  /** Customers: reason and evidence. Staff may name the level (`toLevel`). */
  escalate(caseId: number, input: { reason: string; evidence?: string[]; toLevel?: number }, idempotencyKey?: string) {
    const body: Record<string, unknown> = { reason: input.reason };
    if (input.evidence && input.evidence.length > 0) body.attachment_ids = input.evidence;
    if (input.toLevel !== undefined) body.to_level = input.toLevel;
    return this.caseAction(caseId, 'escalate', body, idempotencyKey);
  }

  makePromise(caseId: number, what: string, dueAt: string, idempotencyKey?: string) {
    return this.caseAction(caseId, 'promises', { what, due_at: dueAt }, idempotencyKey);
  }

  keepPromise(caseId: number, promiseId: number, note?: string) {
    return this.caseAction(caseId, `promises/${promiseId}/keep`, note ? { note } : {});
  }

  decide(caseId: number, input: { outcome: DecisionOutcome; reason: string; next_step: string }, idempotencyKey?: string) {
    return this.caseAction(caseId, 'decisions', input, idempotencyKey);
  }

  appeal(caseId: number, reason: string, idempotencyKey?: string) {
    return this.caseAction(caseId, 'appeal', { reason }, idempotencyKey);
  }

  /** `amount` in minor units (paise for INR). */
  requestCredit(caseId: number, input: { amount: number; currency: string; reason: string }, idempotencyKey?: string) {
    return this.caseAction(caseId, 'credits', input, idempotencyKey);
  }

  settleCredit(caseId: number, creditId: number, verdict: 'approve' | 'deny', reason: string) {
    return this.caseAction(caseId, `credits/${creditId}/${verdict}`, { reason });
  }

  /** Counts of the agent's queues; 404 from a server without the escalation engine. */
  queueCounts(): Promise<{ queues: QueueCount[] }> {
    return this.request<{ queues: QueueCount[] }>('GET', '/api/v1/queues');
  }

  getPolicy(): Promise<PolicySource> {
    return this.request<PolicySource>('GET', '/api/v1/admin/escalation-policy');
  }

  getChannels(): Promise<ChannelsView> {
    return this.request<ChannelsView>('GET', '/api/v1/admin/channels');
  }

  putPolicy(source: string): Promise<PolicySource> {
    return this.request<PolicySource>('PUT', '/api/v1/admin/escalation-policy', { body: { source } });
  }

  // ---- customers and users

  getCustomer(id: number): Promise<Customer> {
    return this.request<Customer>('GET', `/api/v1/customers/${id}`, { context: 'customer' });
  }

  customerPromises(id: number): Promise<{ items: CustomerPromise[] }> {
    return this.request<{ items: CustomerPromise[] }>('GET', `/api/v1/customers/${id}/promises`, { context: 'customer' });
  }

  listUsers(): Promise<{ items: User[] }> {
    return this.request<{ items: User[] }>('GET', '/api/v1/users');
  }

  createUser(input: NewUser, idempotencyKey?: string): Promise<User> {
    return this.request<User>('POST', '/api/v1/users', { body: input, idempotencyKey });
  }

  // ---- canned replies

  listCanned(): Promise<{ items: CannedReply[]; placeholders: string[] }> {
    return this.request<{ items: CannedReply[]; placeholders: string[] }>('GET', '/api/v1/canned-replies');
  }

  createCanned(input: { title: string; body: string }, idempotencyKey?: string): Promise<CannedReply> {
    return this.request<CannedReply>('POST', '/api/v1/canned-replies', { body: input, idempotencyKey });
  }

  updateCanned(id: number, input: { title: string; body: string }): Promise<CannedReply> {
    return this.request<CannedReply>('PUT', `/api/v1/canned-replies/${id}`, { body: input });
  }

  deleteCanned(id: number): Promise<void> {
    return this.request<void>('DELETE', `/api/v1/canned-replies/${id}`);
  }
}
