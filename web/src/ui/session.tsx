// The API client and the signed-in principal, shared with every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiClient } from '../api/client';
import type { LiveFeed } from '../api/live';
import type { Me } from '../api/types';

export interface Session {
  api: ApiClient;
  me: Me;
  /** The change feed (server-sent events) every page may subscribe to. */
  live: LiveFeed;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
