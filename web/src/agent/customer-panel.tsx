// The customer behind a case, on one panel: who they are on every channel, what was
// promised to them on any case and is still open, and their other cases (open, then
// past). An agent can mail them a one-time sign-in link from here.
import { useState } from 'preact/hooks';
import type { Case, Customer } from '../api/types';
import { collect } from '../api/pagination';
import { splitCases } from '../lib/customer';
import { paths } from '../lib/routes';
import { ErrorMessage, Loading, StatusBadge, Time } from '../ui/common';
import { Link } from '../ui/router';
import { useSession } from '../ui/session';
import { type AsyncState, useAsync } from '../ui/use-async';

function CaseList({ cases }: { cases: Case[] }) {
  return (
    <ul class="other-cases">
      {cases.map((c) => (
        <li key={c.id}>
          <Link href={paths.agentCase(c.id)}>#{c.number} {c.subject}</Link>
          <span class="other-meta"><StatusBadge status={c.status} /> <Time iso={c.updated_at} relative /></span>
        </li>
      ))}
    </ul>
  );
}

function SignInLinkButton({ customer }: { customer: Customer }) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  if (customer.emails.length === 0) return null;
  return (
    <div class="sign-in-link">
      <button type="button" class="button secondary small" disabled={busy} onClick={async () => {
        setBusy(true);
        setError(null);
        setDone('');
        try {
          const sent = await api.sendSignInLink(customer.id);
          setDone(`Sign-in link sent to ${sent.sent_to}.`);
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}>Email a sign-in link</button>
      <ErrorMessage error={error} />
      <p class="action-done" role="status">{done}</p>
    </div>
  );
}

export function CustomerPanel({ kase, customer }: { kase: Case; customer: AsyncState<Customer | null> }) {
  const { api } = useSession();
  const cases = useAsync(
    () => collect((cursor) => api.listCases({ customer: kase.customer_id }, cursor), 200),
    [api, kase.customer_id]);
  // Refetched when this case's promises change (one made, kept or broken here), not on
  // every live event of the case: the list spans all of the customer's cases.
  const promisesOfThisCase = (kase.escalation?.promises ?? []).map((p) => `${p.id}:${p.status}`).join(',');
  const promises = useAsync(() => api.customerPromises(kase.customer_id),
    [api, kase.customer_id, promisesOfThisCase]);
  const { open, past } = splitCases(cases.data?.items ?? [], kase.id);

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
          <SignInLinkButton customer={customer.data} />
        </>
      )}
      <h3>Open promises on all cases</h3>
      <ErrorMessage error={promises.error} onRetry={promises.reload} />
      {promises.data && promises.data.items.length === 0 && <p class="empty">No open promises.</p>}
      {promises.data && promises.data.items.length > 0 && (
        <ul class="customer-promises">
          {promises.data.items.map((p) => (
            <li key={`${p.case_id}:${p.id}`} class={p.overdue ? 'overdue' : ''}>
              <span class="promise-what">{p.what}</span>
              <span class="promise-meta">
                due <Time iso={p.due_at} />{p.made_by && <> · by {p.made_by}</>}
                {p.overdue && <span class="overdue-label"> Overdue</span>}
                {' · '}
                {p.case_id === kase.id ? 'this case' : <Link href={paths.agentCase(p.case_id)}>#{p.case_id} {p.case_subject}</Link>}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>Open cases</h3>
      <ErrorMessage error={cases.error} onRetry={cases.reload} />
      {cases.data && open.length === 0 && <p class="empty">No other open cases.</p>}
      {open.length > 0 && <CaseList cases={open} />}
      <h3>Past cases</h3>
      {cases.data && past.length === 0 && <p class="empty">No past cases.</p>}
      {past.length > 0 && <CaseList cases={past} />}
    </section>
  );
}
