// The customer's own cases, newest activity first.
import { collect } from '../api/pagination';
import { CUSTOMER_STATUS_LABELS } from '../lib/labels';
import { sortCases } from '../lib/queues';
import { paths } from '../lib/routes';
import { ErrorMessage, Loading, StatusBadge, Time, useTitle } from '../ui/common';
import { Link } from '../ui/router';
import { useSession } from '../ui/session';
import { LiveIndicator, useLiveRefetch } from '../ui/live';
import { useAsync } from '../ui/use-async';

export function MyCasesPage() {
  const { api } = useSession();
  useTitle('My cases');
  const cases = useAsync(() => collect((cursor) => api.listCases({}, cursor)), [api]);
  const live = useLiveRefetch({ kind: 'list' }, cases.reload);
  const sorted = cases.data ? sortCases(cases.data.items, 'updated', 'desc') : [];
  return (
    <div class="my-cases">
      <div class="page-heading">
        <h1>My cases</h1>
        <LiveIndicator state={live} />
        <Link class="button primary" href={paths.portalNew()}>Open a new case</Link>
      </div>
      <ErrorMessage error={cases.error} onRetry={cases.reload} />
      {cases.loading && !cases.data && <Loading what="your cases" />}
      {cases.data && sorted.length === 0 && <p class="empty">You have no cases yet.</p>}
      {sorted.length > 0 && (
        <ol class="case-list" aria-label="Your cases">
          {sorted.map((c) => (
            <li key={c.id} class="case-row">
              <Link class="case-row-link" href={paths.portalCase(c.id)}>
                <span class="case-number">#{c.number}</span>
                <span class="case-subject">{c.subject}</span>
              </Link>
              <div class="case-meta">
                <StatusBadge status={c.status} label={CUSTOMER_STATUS_LABELS[c.status]} />
                <span class="owner">{c.owner ? `Handled by ${c.owner.name}` : 'Not assigned yet'}</span>
                <span class="updated">Updated <Time iso={c.updated_at} relative /></span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
