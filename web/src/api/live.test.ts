import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce, type EventSourceLike, LiveFeed, type LiveMessage, parseCaseData, shouldRefetch } from './live';

describe('parseCaseData', () => {
  it('reads the staff and the customer shapes', () => {
    expect(parseCaseData('{"case_id":42,"last_seq":17}')).toEqual({ kind: 'case', caseId: 42, lastSeq: 17 });
    expect(parseCaseData('{"case_id":42}')).toEqual({ kind: 'case', caseId: 42 });
  });

  it('ignores what is not the documented shape', () => {
    expect(parseCaseData('not json')).toBeNull();
    expect(parseCaseData('{}')).toBeNull();
    expect(parseCaseData('{"case_id":"42"}')).toBeNull();
    expect(parseCaseData('{"case_id":0}')).toBeNull();
    expect(parseCaseData('null')).toBeNull();
  });
});

describe('shouldRefetch', () => {
  const change = (caseId: number, lastSeq?: number): LiveMessage => ({ kind: 'case', caseId, lastSeq });

  it('refetches a case page only for its own case', () => {
    expect(shouldRefetch({ kind: 'case', caseId: 4 }, change(4))).toBe(true);
    expect(shouldRefetch({ kind: 'case', caseId: 4 }, change(5))).toBe(false);
  });

  it('skips the echo of a change the page already shows (staff know the last seq)', () => {
    expect(shouldRefetch({ kind: 'case', caseId: 4, knownSeq: 9 }, change(4, 9))).toBe(false);
    expect(shouldRefetch({ kind: 'case', caseId: 4, knownSeq: 9 }, change(4, 8))).toBe(false);
    expect(shouldRefetch({ kind: 'case', caseId: 4, knownSeq: 9 }, change(4, 10))).toBe(true);
  });

  it('refetches a customer case page on every change, having no seq to compare', () => {
    expect(shouldRefetch({ kind: 'case', caseId: 4, knownSeq: 9 }, change(4))).toBe(true);
  });

  it('refetches lists for any change, since a change can move a case in or out of them', () => {
    expect(shouldRefetch({ kind: 'list' }, change(77, 3))).toBe(true);
  });

  it('refetches everything on resync', () => {
    expect(shouldRefetch({ kind: 'case', caseId: 4, knownSeq: 9 }, { kind: 'resync' })).toBe(true);
    expect(shouldRefetch({ kind: 'list' }, { kind: 'resync' })).toBe(true);
  });
});

describe('debounce', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('runs once after a burst goes quiet', () => {
    const run = vi.fn();
    const d = debounce(run, 250, 2000);
    d.trigger();
    vi.advanceTimersByTime(200);
    d.trigger();
    vi.advanceTimersByTime(200);
    d.trigger();
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(250);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('still runs every maxWait while changes keep coming', () => {
    const run = vi.fn();
    const d = debounce(run, 250, 1000);
    for (let t = 0; t < 2500; t += 100) {
      d.trigger();
      vi.advanceTimersByTime(100);
    }
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('does nothing once cancelled', () => {
    const run = vi.fn();
    const d = debounce(run, 250, 1000);
    d.trigger();
    d.cancel();
    vi.advanceTimersByTime(5000);
    expect(run).not.toHaveBeenCalled();
  });
});

/** An EventSource the test drives by hand. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly handlers = new Map<string, ((event: MessageEvent) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  close() { this.closed = true; this.readyState = 2; }
  open() { this.readyState = 1; this.onopen?.(new Event('open')); }
  drop(giveUp = false) { this.readyState = giveUp ? 2 : 0; this.onerror?.(new Event('error')); }
  send(type: string, data: string) {
    for (const h of this.handlers.get(type) ?? []) h(new MessageEvent(type, { data }));
  }
}

describe('LiveFeed', () => {
  function feed() {
    const sources: FakeSource[] = [];
    const live = new LiveFeed('/api/v1/changes', (url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    });
    return { live, sources };
  }

  it('opens one connection for all subscribers and delivers case and resync events', () => {
    const { live, sources } = feed();
    const a: LiveMessage[] = [];
    const b: LiveMessage[] = [];
    live.subscribe((m) => a.push(m));
    const stopB = live.subscribe((m) => b.push(m));
    expect(sources).toHaveLength(1);
    expect(sources[0].url).toBe('/api/v1/changes');
    sources[0].open();
    expect(live.connection).toBe('live');
    sources[0].send('case', '{"case_id":3,"last_seq":5}');
    stopB();
    sources[0].send('resync', '{}');
    sources[0].send('case', 'garbage');
    expect(a).toEqual([{ kind: 'case', caseId: 3, lastSeq: 5 }, { kind: 'resync' }]);
    expect(b).toEqual([{ kind: 'case', caseId: 3, lastSeq: 5 }]);
  });

  it('announces a resync when the browser reconnects after a drop, not on the first open', () => {
    const { live, sources } = feed();
    const got: LiveMessage[] = [];
    const states: string[] = [];
    live.onConnection((s) => states.push(s));
    live.subscribe((m) => got.push(m));
    sources[0].open();
    expect(got).toEqual([]);
    sources[0].drop();
    expect(live.connection).toBe('reconnecting');
    sources[0].open();
    expect(got).toEqual([{ kind: 'resync' }]);
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'live']);
  });

  it('reports closed when the browser gives up, and opens again for the next subscriber', () => {
    const { live, sources } = feed();
    live.subscribe(() => {});
    sources[0].open();
    sources[0].drop(true);
    expect(live.connection).toBe('closed');
    live.subscribe(() => {});
    expect(sources).toHaveLength(2);
  });

  it('closes at sign-out and stays quiet afterwards', () => {
    const { live, sources } = feed();
    const got: LiveMessage[] = [];
    live.subscribe((m) => got.push(m));
    live.close();
    expect(sources[0].closed).toBe(true);
    expect(live.connection).toBe('closed');
  });
});
