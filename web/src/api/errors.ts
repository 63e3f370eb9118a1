// Turns whatever went wrong with a request into one sentence a person understands.
// The server's problem+json `detail` is precise but written for the caller of an API
// ("field 'subject' must be a string"); the sentence leads with what it means for the
// person at the screen and keeps the detail where it adds something. Server faults carry
// the request id so support can find the request in the logs.
import type { Problem } from './types';

const PROBLEM_PREFIX = 'https://redress.dev/problems/';

/** What the request was about, so a 404 or 401 can be worded for the situation. */
export type ErrorContext = 'login' | 'link' | 'case' | 'customer' | 'upload' | 'default';

export class ApiError extends Error {
  readonly status: number;
  /** The problem type suffix (`not-found`), or `network` / `unexpected-response`. */
  readonly kind: string;
  readonly problem: Problem | null;

  constructor(status: number, kind: string, problem: Problem | null, sentence: string) {
    super(sentence);
    this.name = 'ApiError';
    this.status = status;
    this.kind = kind;
    this.problem = problem;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isUnauthenticated(): boolean {
    return this.status === 401;
  }
}

export function problemKind(problem: Problem): string {
  return problem.type.startsWith(PROBLEM_PREFIX)
    ? problem.type.slice(PROBLEM_PREFIX.length)
    : problem.type;
}

/** `handoff_note` → "hand-off note"; `emails[1]` → "second email". */
export function fieldLabel(field: string): string {
  const indexed = /^([a-z_]+)\[(\d+)\]$/.exec(field);
  if (indexed) {
    const ordinals = ['first', 'second', 'third', 'fourth', 'fifth'];
    const n = Number(indexed[2]);
    const singular: Record<string, string> = {
      emails: 'email address', phones: 'phone number', social: 'social media account',
    };
    const base = singular[indexed[1]] ?? fieldLabel(indexed[1]).replace(/s$/, '');
    return `${ordinals[n] ?? `number ${n + 1}`} ${base}`;
  }
  const known: Record<string, string> = {
    handoff_note: 'hand-off note',
    owner_id: 'new owner',
    customer_id: 'customer',
    body: 'message',
    emails: 'email addresses',
    phones: 'phone numbers',
  };
  return known[field] ?? field.replace(/_/g, ' ');
}

function sentenceCase(text: string): string {
  const trimmed = text.trim().replace(/\.$/, '');
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

function withDetail(lead: string, detail: string | undefined): string {
  return detail ? `${lead} ${sentenceCase(detail)}.` : lead;
}

function reference(problem: Problem): string {
  return problem.request_id ? ` If it keeps happening, give support the reference ${problem.request_id}.` : '';
}

/** The sentence for a problem+json response. */
export function describeProblem(problem: Problem, context: ErrorContext = 'default'): string {
  const kind = problemKind(problem);
  switch (kind) {
    case 'unauthenticated':
      // A sign-in link's refusal says why (unknown, used or expired) in words for people.
      if (context === 'link' && problem.detail) return problem.detail;
      return context === 'login'
        ? 'That email address and password do not match an account. Check both and try again.'
        : 'Your session has ended. Please sign in again.';
    case 'permission-denied':
      return withDetail('You are not allowed to do that.', problem.detail);
    case 'not-found':
      if (context === 'case') return 'This case does not exist, or it is not yours to see.';
      if (context === 'customer') return 'This customer does not exist, or you cannot see them.';
      return 'That could not be found. It may have been removed, or the link is wrong.';
    case 'invalid-argument':
      if (problem.field) {
        return withDetail(`Please check the ${fieldLabel(problem.field)}.`, problem.detail);
      }
      return withDetail('Some of what you entered is not valid.', problem.detail);
    case 'conflict':
      return withDetail('That change conflicts with the current state of the case.', problem.detail);
    case 'idempotency-key-reused':
      return 'This action was already sent with different content. Reload the page and try again.';
    case 'payload-too-large':
      if (context === 'upload') return 'That file is larger than 10 MB. Attach a smaller one.';
      return 'That is too large to send. Shorten the text and try again.';
    case 'unsupported-media-type':
      if (context === 'upload') return UPLOAD_TYPES_SENTENCE;
      return 'The server could not understand the request from this page. Reload the page and try again.';
    case 'malformed-json':
    case 'bad-request':
    case 'method-not-allowed':
      return 'The server could not understand the request from this page. Reload the page and try again.';
    case 'unavailable':
      if (context === 'link' && problem.detail) return withDetail('Sign-in links cannot be sent right now.', problem.detail);
      return 'Redress is briefly unavailable. Wait a moment and try again.';
    case 'internal':
      return `Something went wrong on the server and nothing was changed.${reference(problem)}`;
    default:
      return withDetail(`The request failed (${problem.title || `HTTP ${problem.status}`}).`, problem.detail);
  }
}

/** The sentence for a response that is not problem+json (a proxy's HTML page, say). */
export function describeStatus(status: number): string {
  if (status >= 500) return `The server answered with an error (HTTP ${status}). Try again in a moment.`;
  return `The server answered unexpectedly (HTTP ${status}). Reload the page and try again.`;
}

export const UPLOAD_TYPES_SENTENCE =
  'Only pictures (JPEG, PNG, GIF, WebP), PDF files and plain text can be attached.';

export const NETWORK_SENTENCE =
  'Redress could not be reached. Check your network connection and try again.';

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && typeof v.status === 'number';
}

/** Builds the ApiError for a failed response whose body has already been read as text. */
export function errorFromResponse(
  status: number,
  contentType: string | null,
  bodyText: string,
  context: ErrorContext = 'default',
): ApiError {
  if (contentType && /json/.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(bodyText);
      if (isProblem(parsed)) {
        return new ApiError(status, problemKind(parsed), parsed, describeProblem(parsed, context));
      }
    } catch {
      // Not JSON after all: fall through to the status-only sentence.
    }
  }
  return new ApiError(status, 'unexpected-response', null, describeStatus(status));
}

export function networkError(): ApiError {
  return new ApiError(0, 'network', null, NETWORK_SENTENCE);
}

/** A sentence for anything thrown, for code that shows errors without knowing their type. */
/** A form's own refusal, worded for the person (an amount that is not a number). */
export class InputError extends Error {
  constructor(sentence: string) {
    super(sentence);
    this.name = 'InputError';
  }
}

export function errorSentence(error: unknown): string {
  if (error instanceof ApiError || error instanceof InputError) return error.message;
  return 'Something went wrong in this page. Reload it and try again.';
}
