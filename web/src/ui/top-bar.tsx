// The bar at the top of every signed-in page: where you are, who you are, sign out.
import type { Me } from '../api/types';
import { paths } from '../lib/routes';
import { Link } from './router';

export function TopBar({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const staff = me.role !== 'customer';
  return (
    <header class="top-bar">
      <a class="skip-link" href="#main">Skip to content</a>
      <Link class="brand" href={staff ? paths.agentQueue('mine') : paths.portal()}>
        Redress <span class="brand-side">{staff ? 'Agent console' : 'My cases'}</span>
      </Link>
      {staff && (
        <nav class="top-nav" aria-label="Console">
          <Link href={paths.agentQueue('mine')}>Queues</Link>
          <Link href={paths.cannedReplies()}>Canned replies</Link>
          {me.role === 'admin' && <Link href={paths.adminUsers()}>Admin</Link>}
        </nav>
      )}
      <div class="top-bar-user">
        <span class="who">
          {me.name}
          {staff && <span class="who-role"> · {me.role}, level {me.level}</span>}
        </span>
        <button type="button" class="button secondary small" onClick={onSignOut}>Sign out</button>
      </div>
    </header>
  );
}
