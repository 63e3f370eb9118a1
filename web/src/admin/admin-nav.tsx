// The tabs of the admin pages.
import { paths } from '../lib/routes';
import { Link } from '../ui/router';

type Tab = 'users' | 'escalation' | 'channels';

export function AdminNav({ current }: { current: Tab }) {
  const tab = (id: Tab, href: string, title: string) => (
    <Link href={href} class={current === id ? 'tab active' : 'tab'} aria-current={current === id ? 'page' : undefined}>
      {title}
    </Link>
  );
  return (
    <nav class="queue-tabs" aria-label="Administration">
      {tab('users', paths.adminUsers(), 'Users and roles')}
      {tab('escalation', paths.adminEscalation(), 'Escalation matrix')}
      {tab('channels', paths.adminChannels(), 'Channels')}
    </nav>
  );
}
