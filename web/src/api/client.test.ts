import { describe, expect, it } from 'vitest';
import { ApiClient, buildQuery, memoryTokenStore } from './client';
import { ApiError } from './errors';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that records requests and answers from a queue of responses. */
function fakeFetch(responses: (() => Response)[]) {
  const calls: Call[] = [];
  const impl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body as string | undefined,
    });
    const next = responses.shift();
    if (!next) throw new Error('no response queued');
    return next();
  }) as typeof fetch;
  return { calls, impl };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

const loginOk = json(200, {
  principal: { role: 'agent', id: 7, name: 'Priya', level: 1 },
  csrf_token: 'rdc_abc', expires_at: '2026-12-02T00:00:00.000000Z',
});

describe('ApiClient', () => {
  it('keeps the CSRF token from login and sends it on unsafe requests only', async () => {
    const { calls, impl } = fakeFetch([loginOk, json(200, { items: [], next_cursor: null }),
      json(201, { case: {}, events: [] })]);
    const api = new ApiClient('', memoryTokenStore(), impl);
    const me = await api.login('priya@example.com', 'pw');
    expect(me.name).toBe('Priya');
    await api.listCases({ owner: 'none' }, null);
    await api.addNote(4, 'hello');
    expect(calls[1].headers['X-CSRF-Token']).toBeUndefined();
    expect(calls[1].url).toBe('/api/v1/cases?owner=none&limit=200');
    expect(calls[2].headers['X-CSRF-Token']).toBe('rdc_abc');
    expect(calls[2].method).toBe('POST');
    expect(JSON.parse(calls[2].body!)).toEqual({ body: 'hello' });
    expect(calls[2].url).toBe('/api/v1/cases/4/notes');
  });

  it('puts a fresh Idempotency-Key on every POST unless the caller passes one', async () => {
    const { calls, impl } = fakeFetch([json(201, {}), json(201, {}), json(201, {}), json(200, {})]);
    const api = new ApiClient('', memoryTokenStore(), impl);
    await api.sendMessage(1, 'a');
    await api.sendMessage(1, 'a');
    await api.sendMessage(1, 'a', 'retry-key');
    await api.getCase(1);
    const keys = calls.map((c) => c.headers['Idempotency-Key']);
    expect(keys[0]).toMatch(/^web-[0-9a-f]{32}$/);
    expect(keys[1]).toMatch(/^web-[0-9a-f]{32}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe('retry-key');
    expect(keys[3]).toBeUndefined();
  });

  it('turns a problem response into an ApiError with a sentence', async () => {
    const { impl } = fakeFetch([json(404, {
      type: 'https://redress.dev/problems/not-found', title: 'Not found', status: 404, request_id: 'r',
    }, 'application/problem+json')]);
    const api = new ApiClient('', memoryTokenStore(), impl);
    const error = await api.getCase(99).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isNotFound).toBe(true);
    expect((error as ApiError).message).toBe('This case does not exist, or it is not yours to see.');
  });

  it('forgets the session and tells the app when the server says it has ended', async () => {
    const tokens = memoryTokenStore();
    tokens.set('rdc_old');
    const { impl } = fakeFetch([json(401, {
      type: 'https://redress.dev/problems/unauthenticated', title: 'x', status: 401,
    }, 'application/problem+json')]);
    const api = new ApiClient('', tokens, impl);
    let ended = false;
    api.onSessionEnded = () => { ended = true; };
    await expect(api.listUsers()).rejects.toThrow('Your session has ended. Please sign in again.');
    expect(ended).toBe(true);
    expect(tokens.get()).toBeNull();
  });

  it('does not end a session for a failed login', async () => {
    const { impl } = fakeFetch([json(401, {
      type: 'https://redress.dev/problems/unauthenticated', title: 'x', status: 401,
    }, 'application/problem+json')]);
    const api = new ApiClient('', memoryTokenStore(), impl);
    let ended = false;
    api.onSessionEnded = () => { ended = true; };
    await expect(api.login('a@b.c', 'wrong')).rejects.toThrow(/do not match an account/);
    expect(ended).toBe(false);
  });

  it('words a network failure', async () => {
    const impl = (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch;
    const api = new ApiClient('', memoryTokenStore(), impl);
    const error = (await api.getCase(1).catch((e: unknown) => e)) as ApiError;
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/could not be reached/);
  });

  it('answers me() with null when there is no session, without asking the server', async () => {
    const { calls, impl } = fakeFetch([]);
    const api = new ApiClient('', memoryTokenStore(), impl);
    expect(await api.me()).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('accepts an empty 204 body (logout)', async () => {
    const { impl } = fakeFetch([() => new Response(null, { status: 204 })]);
    const tokens = memoryTokenStore();
    tokens.set('rdc_x');
    await new ApiClient('', tokens, impl).logout();
    expect(tokens.get()).toBeNull();
  });
});

describe('buildQuery', () => {
  it('drops empty values and encodes the rest', () => {
    expect(buildQuery({ status: 'open', owner: undefined, cursor: null, q: 'a b&c', limit: 5 }))
      .toBe('?status=open&q=a+b%26c&limit=5');
    expect(buildQuery({})).toBe('');
  });
});
