// The customer behind a case: who they are on every channel and their other cases.
// (Open promises and orders join this panel when those domains exist.)
import type { Case } from '../api/types';
import { collect } from '../api/pagination';
import { paths } from '../lib/routes';
import { ErrorMessage, Loading, StatusBadge, Time } from '../ui/common';
import { Link } from '../ui/router';
import { useSession } from '../ui/session';
import { useAsync } from '../ui/use-async';

export function CustomerPanel({ kase }: { kase: Case }) {
  const { api } = useSession();
  const customer = useAsync(() => api.getCustomer(kase.customer_id), [api, kase.customer_id]);
  const cases = useAsync(
    () => collect((cursor) => api.listCases({ customer: kase.customer_id }, cursor), 200),
    [api, kase.customer_id]);
  const others = (cases.data?.items ?? []).filter((c) => c.id !== kase.id);

  return (
    <section class="panel customer-panel" aria-labelledby="customer-title">
      <h2 id="customer-title">Customer</h2>
      <ErrorMessage error={customer.error} onRetry={customer.reload} />
      {customer.loading && !customer.data && <Loading what="the customer" />}
      {customer.data && (
        <>
          <p class="customer-name">{customer.data.name}</p>
          <dl class="identities">
            {customer.data.emails.map((e) => <div key={e}><dt>Email</dt><dd>{e}</dd></div>)}
            {customer.data.phones.map((p) => <div key={p}><dt>Phone</dt><dd>{p}</dd></div>)}
            {customer.data.social.map((s) => (
              <div key={`${s.network}:${s.handle}`}><dt>{s.network}</dt><dd>@{s.handle}</dd></div>
            ))}
          </dl>
          <p class="hint">Customer since <Time iso={customer.data.created_at} /></p>
        </>
      )}
      <h3>Other cases</h3>
      <ErrorMessage error={cases.error} onRetry={cases.reload} />
      {cases.data && others.length === 0 && <p class="empty">No other cases.</p>}
      {others.length > 0 && (
        <ul class="other-cases">
          {others.map((c) => (
            <li key={c.id}>
              <Link href={paths.agentCase(c.id)}>#{c.number} {c.subject}</Link>
              <span class="other-meta"><StatusBadge status={c.status} /> <Time iso={c.updated_at} relative /></span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
