// The URL scheme of the app. The server answers any non-API path with index.html, so these
// are real, shareable URLs: /agent/queues/mine, /agent/cases/12, /portal/cases/12.

export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'login-link' }
  | { name: 'agent-queue'; queue: string }
  | { name: 'agent-case'; id: number }
  | { name: 'portal-cases' }
  | { name: 'portal-new' }
  | { name: 'portal-case'; id: number }
  | { name: 'admin-users' }
  | { name: 'admin-escalation' }
  | { name: 'canned-replies' }
  | { name: 'admin-channels' }
  | { name: 'not-found' };

function caseId(text: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return null;
  return Number(text);
}

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '');
  const [a, b, c] = parts;
  if (parts.length === 0) return { name: 'home' };
  if (a === 'login' && parts.length === 1) return { name: 'login' };
  if (a === 'login' && b === 'link' && parts.length === 2) return { name: 'login-link' };
  if (a === 'agent') {
    if (parts.length === 1) return { name: 'agent-queue', queue: 'mine' };
    if (b === 'canned-replies' && parts.length === 2) return { name: 'canned-replies' };
    if (b === 'queues' && c && parts.length === 3) return { name: 'agent-queue', queue: c };
    if (b === 'cases' && c && parts.length === 3) {
      const id = caseId(c);
      return id === null ? { name: 'not-found' } : { name: 'agent-case', id };
    }
  }
  if (a === 'agent' && b === 'admin' && parts.length === 3) {
    if (c === 'users') return { name: 'admin-users' };
    if (c === 'escalation') return { name: 'admin-escalation' };
    if (c === 'channels') return { name: 'admin-channels' };
  }
  if (a === 'portal') {
    if (parts.length === 1) return { name: 'portal-cases' };
    if (b === 'new' && parts.length === 2) return { name: 'portal-new' };
    if (b === 'cases' && c && parts.length === 3) {
      const id = caseId(c);
      return id === null ? { name: 'not-found' } : { name: 'portal-case', id };
    }
  }
  return { name: 'not-found' };
}

export const paths = {
  login: () => '/login',
  agentQueue: (queue: string) => `/agent/queues/${queue}`,
  agentCase: (id: number) => `/agent/cases/${id}`,
  adminUsers: () => '/agent/admin/users',
  adminEscalation: () => '/agent/admin/escalation',
  cannedReplies: () => '/agent/canned-replies',
  adminChannels: () => '/agent/admin/channels',
  portal: () => '/portal',
  portalNew: () => '/portal/new',
  portalCase: (id: number) => `/portal/cases/${id}`,
};
