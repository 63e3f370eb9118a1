// The app shell: finds out who is signed in, then sends each route to its page. Agents and
// customers live in separate halves (/agent, /portal); a route of the other half answers
// "not found" rather than leaking that it exists.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from '../api/client';
import { LiveFeed } from '../api/live';
import type { Me } from '../api/types';
import { CannedRepliesPage } from '../admin/canned-replies-page';
import { ChannelsPage } from '../admin/channels-page';
import { EscalationPolicyPage } from '../admin/escalation-policy-page';
import { UsersPage } from '../admin/users-page';
import { CasePage as AgentCasePage } from '../agent/case-page';
import { QueuePage } from '../agent/queue-page';
import { queueById } from '../lib/queues';
import { paths, type Route } from '../lib/routes';
import { PortalCasePage } from '../portal/case-page';
import { MyCasesPage } from '../portal/my-cases-page';
import { NewCasePage } from '../portal/new-case-page';
import { ErrorMessage, Loading, NotFound } from './common';
import { LinkSignInPage, LoginPage } from './login-page';
import { navigate, useRoute } from './router';
import { SessionContext } from './session';
import { TopBar } from './top-bar';

function homeOf(me: Me): string {
  return me.role === 'customer' ? paths.portal() : paths.agentQueue('mine');
}

function Page({ route, me }: { route: Route; me: Me }) {
  const home = homeOf(me);
  const staff = me.role !== 'customer';
  const notFound = <NotFound backHref={home} backLabel={staff ? 'Back to my queue' : 'Back to my cases'} />;
  switch (route.name) {
    case 'agent-queue':
      return staff && queueById(route.queue) ? <QueuePage queueId={route.queue} /> : notFound;
    case 'agent-case':
      return staff ? <AgentCasePage key={route.id} caseId={route.id} /> : notFound;
    case 'admin-users':
      return staff ? <UsersPage /> : notFound;
    case 'admin-channels':
      return me.role === 'admin' ? <ChannelsPage /> : notFound;
    case 'canned-replies':
      return staff ? <CannedRepliesPage /> : notFound;
    case 'admin-escalation':
      return me.role === 'admin' ? <EscalationPolicyPage /> : notFound;
    case 'portal-cases':
      return staff ? notFound : <MyCasesPage />;
    case 'portal-new':
      return staff ? notFound : <NewCasePage />;
    case 'portal-case':
      return staff ? notFound : <PortalCasePage key={route.id} caseId={route.id} />;
    default:
      return notFound;
  }
}

export function App() {
  const api = useMemo(() => new ApiClient(), []);
  const live = useMemo(() => new LiveFeed(), []);
  const route = useRoute();
  // undefined: still asking the server; null: nobody is signed in.
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [startError, setStartError] = useState<unknown>(null);

  useEffect(() => {
    api.onSessionEnded = () => {
      live.close();
      setMe(null);
    };
    api.me().then(setMe, (e: unknown) => setStartError(e));
  }, [api, live]);

  // Send people to the right place once we know who they are.
  useEffect(() => {
    if (me === undefined) return;
    if (route.name === 'login-link') return;  // the link page signs in by itself
    if (me === null && route.name !== 'login') {
      const back = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname)}`;
      navigate(paths.login() + back, { replace: true });
    } else if (me && (route.name === 'login' || route.name === 'home')) {
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(me), { replace: true });
    }
  }, [me, route]);

  // After moving to another page, start keyboard and screen-reader users at its content.
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) { firstRoute.current = false; return; }
    main.current?.focus({ preventScroll: true });
  }, [route]);

  if (startError) {
    return <main id="main" class="page"><ErrorMessage error={startError} onRetry={() => location.reload()} /></main>;
  }
  if (route.name === 'login-link') {
    return <LinkSignInPage api={api} onSignedIn={(signedIn) => {
      setMe(signedIn);
      navigate(homeOf(signedIn), { replace: true });
    }} />;
  }
  if (me === undefined) return <main id="main" class="page"><Loading what="Redress" /></main>;
  if (me === null) return <LoginPage api={api} onSignedIn={setMe} />;

  const signOut = () => {
    live.close();
    api.logout().finally(() => {
      setMe(null);
      navigate(paths.login(), { replace: true });
    });
  };
  return (
    <SessionContext.Provider value={{ api, me, live, signOut }}>
      <TopBar me={me} onSignOut={signOut} />
      <main id="main" class="page" tabIndex={-1} ref={main}>
        <Page route={route} me={me} />
      </main>
    </SessionContext.Provider>
  );
}
