// The tabs of the admin pages.
import { paths } from '../lib/routes';
import { Link } from '../ui/router';

export function AdminNav({ current }: { current: 'users' | 'escalation' }) {
  const tab = (id: 'users' | 'escalation', href: string, title: string) => (
    <Link href={href} class={current === id ? 'tab active' : 'tab'} aria-current={current === id ? 'page' : undefined}>
      {title}
    </Link>
  );
  return (
    <nav class="queue-tabs" aria-label="Administration">
      {tab('users', paths.adminUsers(), 'Users and roles')}
      {tab('escalation', paths.adminEscalation(), 'Escalation matrix')}
    </nav>
  );
}
