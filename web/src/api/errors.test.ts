import { describe, expect, it } from 'vitest';
import { describeProblem, errorFromResponse, errorSentence, fieldLabel, ApiError } from './errors';
import type { Problem } from './types';

function problem(suffix: string, status: number, extra: Partial<Problem> = {}): Problem {
  return { type: `https://redress.dev/problems/${suffix}`, title: 'T', status, request_id: 'req-1', ...extra };
}

describe('describeProblem', () => {
  it('words a wrong login without saying which of email or password was wrong', () => {
    const sentence = describeProblem(problem('unauthenticated', 401), 'login');
    expect(sentence).toMatch(/email address and password do not match/);
  });

  it('words an expired session outside login', () => {
    expect(describeProblem(problem('unauthenticated', 401))).toBe('Your session has ended. Please sign in again.');
  });

  it('names the field of an invalid argument in words and keeps the detail', () => {
    const sentence = describeProblem(problem('invalid-argument', 422, {
      field: 'handoff_note', detail: "field 'handoff_note' is required when transferring",
    }));
    expect(sentence).toBe("Please check the hand-off note. Field 'handoff_note' is required when transferring.");
  });

  it('says a missing case may not be yours, without confirming it exists', () => {
    expect(describeProblem(problem('not-found', 404), 'case')).toBe(
      'This case does not exist, or it is not yours to see.');
  });

  it('gives support a reference for server faults', () => {
    expect(describeProblem(problem('internal', 500, { request_id: 'abc123' }))).toContain('reference abc123');
  });

  it('explains a conflict with the server detail', () => {
    expect(describeProblem(problem('conflict', 409, { detail: 'the case is already open' }))).toBe(
      'That change conflicts with the current state of the case. The case is already open.');
  });

  it('falls back to the title for a problem type it does not know', () => {
    expect(describeProblem({ type: 'https://example.com/teapot', title: 'Teapot', status: 418 }))
      .toBe('The request failed (Teapot).');
  });
});

describe('fieldLabel', () => {
  it('reads indexed fields as ordinals', () => {
    expect(fieldLabel('emails[1]')).toBe('second email address');
  });
  it('turns snake case into words', () => {
    expect(fieldLabel('previous_owner')).toBe('previous owner');
  });
});

describe('errorFromResponse', () => {
  it('reads problem+json into an ApiError with kind and sentence', () => {
    const body = JSON.stringify(problem('payload-too-large', 413));
    const error = errorFromResponse(413, 'application/problem+json', body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.kind).toBe('payload-too-large');
    expect(error.message).toMatch(/too large/);
  });

  it('words a non-JSON error page by its status', () => {
    const error = errorFromResponse(502, 'text/html', '<html>Bad gateway</html>');
    expect(error.kind).toBe('unexpected-response');
    expect(error.message).toBe('The server answered with an error (HTTP 502). Try again in a moment.');
  });

  it('survives a JSON content type with a broken body', () => {
    expect(errorFromResponse(400, 'application/json', '{oops').message).toMatch(/HTTP 400/);
  });
});

describe('errorSentence', () => {
  it('never shows a programmer error to a person', () => {
    expect(errorSentence(new TypeError('x is undefined'))).toBe('Something went wrong in this page. Reload it and try again.');
  });
});
