// Pages subscribe to the change feed with `useLiveRefetch`: it refetches (debounced) when a
// change concerns what the page shows, and says when that last happened for the small
// "updated" indicator beside the page title.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Connection, debounce, type Interest, shouldRefetch } from '../api/live';
import { formatTime } from '../lib/dates';
import { useSession } from './session';

/** Quiet time after the last change before refetching, and the longest a refetch waits. */
export const LIVE_WAIT_MS = 250;
export const LIVE_MAX_WAIT_MS = 2000;

export interface LiveState {
  connection: Connection;
  /** When a change last made this page refetch (null: not since it opened). */
  updatedAt: Date | null;
}

export function useLiveRefetch(interest: Interest | null, refetch: () => void): LiveState {
  const { live } = useSession();
  const [connection, setConnection] = useState<Connection>(live.connection);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  // The latest interest and refetch, read when a message arrives, so the subscription
  // lives as long as the page and not one render.
  const current = useRef({ interest, refetch });
  current.current = { interest, refetch };

  useEffect(() => {
    const debounced = debounce(() => {
      current.current.refetch();
      setUpdatedAt(new Date());
    }, LIVE_WAIT_MS, LIVE_MAX_WAIT_MS);
    const stopConnection = live.onConnection(setConnection);
    const unsubscribe = live.subscribe((message) => {
      const { interest: now } = current.current;
      if (now && shouldRefetch(now, message)) debounced.trigger();
    });
    setConnection(live.connection);
    return () => {
      debounced.cancel();
      unsubscribe();
      stopConnection();
    };
  }, [live]);

  return { connection, updatedAt };
}

const CONNECTION_WORDS: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Not live: reload to see changes',
};

/** "Live · updated 14:02": whether changes arrive by themselves, and when one last did. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const { connection, updatedAt } = state;
  return (
    <span class={`live-indicator live-${connection}`} role="status" aria-live="polite">
      <span class="live-dot" aria-hidden="true" />
      {CONNECTION_WORDS[connection]}
      {updatedAt && (
        <span class="live-updated" key={updatedAt.getTime()}>
          {' · updated '}{formatTime(updatedAt.toISOString())}
        </span>
      )}
    </span>
  );
}
