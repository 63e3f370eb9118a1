import { describe, expect, it } from 'vitest';
import { parseRoute, paths } from './routes';

describe('parseRoute', () => {
  it('reads every page of the app', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' });
    expect(parseRoute('/login')).toEqual({ name: 'login' });
    expect(parseRoute('/agent')).toEqual({ name: 'agent-queue', queue: 'mine' });
    expect(parseRoute('/agent/queues/unassigned')).toEqual({ name: 'agent-queue', queue: 'unassigned' });
    expect(parseRoute('/agent/cases/42')).toEqual({ name: 'agent-case', id: 42 });
    expect(parseRoute('/portal/')).toEqual({ name: 'portal-cases' });
    expect(parseRoute('/portal/new')).toEqual({ name: 'portal-new' });
    expect(parseRoute('/portal/cases/7')).toEqual({ name: 'portal-case', id: 7 });
    expect(parseRoute('/agent/admin/users')).toEqual({ name: 'admin-users' });
    expect(parseRoute('/agent/admin/escalation')).toEqual({ name: 'admin-escalation' });
    expect(parseRoute('/agent/admin/channels')).toEqual({ name: 'admin-channels' });
    expect(parseRoute('/agent/canned-replies')).toEqual({ name: 'canned-replies' });
    expect(parseRoute('/login/link')).toEqual({ name: 'login-link' });
  });
  it('answers not-found for case ids that are not positive integers and for unknown paths', () => {
    for (const p of ['/portal/cases/0', '/portal/cases/-1', '/portal/cases/1e3', '/agent/cases/abc', '/admin', '/portal/cases/7/x', '/agent/admin/x', '/agent/admin', '/login/x', '/login/link/x']) {
      expect(parseRoute(p)).toEqual({ name: 'not-found' });
    }
  });
  it('round-trips the paths it builds', () => {
    expect(parseRoute(paths.agentCase(12))).toEqual({ name: 'agent-case', id: 12 });
    expect(parseRoute(paths.portalCase(12))).toEqual({ name: 'portal-case', id: 12 });
  });
});
