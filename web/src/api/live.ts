// Live updates from `GET /api/v1/changes` (server-sent events, docs/api.md "Live updates").
//
// The server says only *which* case changed; pages refetch what they show. One EventSource
// serves the whole app and every page subscribes to it. The browser reconnects by itself;
// the server keeps no backlog, so a reconnect after a dropped connection is announced to
// subscribers as a resync (refetch everything shown), like the server's own `resync` event.
//
// Which page refetches for which message, and the debouncing that turns a burst of changes
// into one refetch, are plain functions here so they can be tested without a browser.

/** What a subscriber hears. `lastSeq` is sent to staff only. */
export type LiveMessage =
  | { kind: 'case'; caseId: number; lastSeq?: number }
  | { kind: 'resync' };

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** Reads the `data` of an `event: case`; null when it is not the documented shape. */
export function parseCaseData(data: string): LiveMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { case_id: caseId, last_seq: lastSeq } = value as Record<string, unknown>;
  if (typeof caseId !== 'number' || !Number.isSafeInteger(caseId) || caseId <= 0) return null;
  if (typeof lastSeq === 'number' && Number.isSafeInteger(lastSeq)) return { kind: 'case', caseId, lastSeq };
  return { kind: 'case', caseId };
}

/**
 * What a page shows, as far as live updates care:
 * - one case, whose events up to `knownSeq` are already on screen (staff know it; for a
 *   customer it is undefined and every change to the case refetches);
 * - a list of cases, where any change may move a case in or out of the list or reorder it.
 */
export type Interest =
  | { kind: 'case'; caseId: number; knownSeq?: number }
  | { kind: 'list' };

export function shouldRefetch(interest: Interest, message: LiveMessage): boolean {
  if (message.kind === 'resync') return true;
  if (interest.kind === 'list') return true;
  if (message.caseId !== interest.caseId) return false;
  // An action of our own already merged its events: the echo of it needs no refetch.
  if (message.lastSeq !== undefined && interest.knownSeq !== undefined) {
    return message.lastSeq > interest.knownSeq;
  }
  return true;
}

export interface Timers {
  set: (fn: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Debounced {
  /** Asks for a run: it happens `waitMs` after the last ask, or `maxWaitMs` after the first. */
  trigger: () => void;
  cancel: () => void;
}

/**
 * Trailing-edge debounce with a ceiling: a case that changes every 100 ms still refetches
 * every `maxWaitMs`, so a busy case never looks frozen.
 */
export function debounce(run: () => void, waitMs: number, maxWaitMs: number, timers: Timers = realTimers): Debounced {
  let waitTimer: unknown = null;
  let maxTimer: unknown = null;
  const fire = () => {
    cancel();
    run();
  };
  function cancel() {
    if (waitTimer !== null) timers.clear(waitTimer);
    if (maxTimer !== null) timers.clear(maxTimer);
    waitTimer = null;
    maxTimer = null;
  }
  return {
    trigger() {
      if (waitTimer !== null) timers.clear(waitTimer);
      waitTimer = timers.set(fire, waitMs);
      if (maxTimer === null) maxTimer = timers.set(fire, maxWaitMs);
    },
    cancel,
  };
}

/** The part of EventSource this module uses, so tests can hand in their own. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;

type Listener = (message: LiveMessage) => void;
type ConnectionListener = (connection: Connection) => void;

/**
 * The app's one connection to the change feed. It opens with the first subscriber and stays
 * open while pages come and go (moving between pages does not reconnect); the app closes it
 * at sign-out.
 */
export class LiveFeed {
  private source: EventSourceLike | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private state: Connection = 'closed';
  private droppedSinceOpen = false;

  constructor(
    private readonly url = '/api/v1/changes',
    private readonly factory: EventSourceFactory | null =
      typeof EventSource === 'undefined' ? null : (u) => new EventSource(u),
  ) {}

  get connection(): Connection {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.open();
    return () => {
      this.listeners.delete(listener);
    };
  }

  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  close(): void {
    this.source?.close();
    this.source = null;
    this.droppedSinceOpen = false;
    this.setState('closed');
  }

  private open(): void {
    if (this.source || !this.factory) return;
    const source = this.factory(this.url);
    this.source = source;
    this.setState('connecting');
    source.onopen = () => {
      this.setState('live');
      // Changes made while the connection was down were never sent: refetch.
      if (this.droppedSinceOpen) this.emit({ kind: 'resync' });
      this.droppedSinceOpen = false;
    };
    source.onerror = () => {
      if (source.readyState === CLOSED) {
        // The browser gave up (the session ended, or the server refused the stream).
        this.source = null;
        this.setState('closed');
        return;
      }
      this.droppedSinceOpen = true;
      this.setState('reconnecting');
    };
    source.addEventListener('case', (event) => {
      const message = parseCaseData(String(event.data));
      if (message) this.emit(message);
    });
    source.addEventListener('resync', () => this.emit({ kind: 'resync' }));
  }

  private emit(message: LiveMessage): void {
    for (const listener of [...this.listeners]) listener(message);
  }

  private setState(next: Connection): void {
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.connectionListeners]) listener(next);
  }
}
