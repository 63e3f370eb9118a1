// The customer's case page: who owns it, where it stands, everything said, and a box to
// write back. Another customer's case answers 404 from the API and "Not found" here.
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { newIdempotencyKey } from '../api/idempotency';
import { collect } from '../api/pagination';
import type { Case, CaseEvent, CaseWithEvents } from '../api/types';
import { escalationOf, levelName } from '../lib/escalation';
import { CUSTOMER_STATUS_LABELS } from '../lib/labels';
import { paths } from '../lib/routes';
import { mergeEvents } from '../lib/timeline';
import { ErrorMessage, Loading, NotFound, RecordDownload, StatusBadge, Time, useTitle } from '../ui/common';
import { Link } from '../ui/router';
import { useSession } from '../ui/session';
import { LiveIndicator, useLiveRefetch } from '../ui/live';
import { useAsync } from '../ui/use-async';
import { EscalationSummary } from './escalation-summary';
import { PublicTimeline } from './public-timeline';

interface Loaded {
  kase: Case;
  events: CaseEvent[];
}

export function PortalCasePage({ caseId }: { caseId: number }) {
  const { api } = useSession();
  const state = useAsync<Loaded>(async () => {
    const [kase, events] = await Promise.all([
      api.getCase(caseId),
      collect((cursor) => api.listEvents(caseId, cursor)),
    ]);
    return { kase, events: events.items };
  }, [api, caseId]);
  const live = useLiveRefetch({ kind: 'case', caseId }, state.reload);
  useTitle(state.data ? `#${state.data.kase.number} ${state.data.kase.subject}` : 'Your case');

  if (state.error instanceof ApiError && state.error.isNotFound) {
    return <NotFound message="We could not find this case among yours. Check the link, or open your list of cases."
      backHref={paths.portal()} backLabel="Back to my cases" />;
  }
  if (!state.data) {
    return state.error
      ? <ErrorMessage error={state.error} onRetry={state.reload} />
      : <Loading what="your case" />;
  }
  const { kase, events } = state.data;
  const escalation = escalationOf(kase);
  const applied = (result: CaseWithEvents) => state.setData((previous) => ({
    kase: result.case,
    events: mergeEvents(previous?.events ?? [], result.events),
  }));
  return (
    <article class="case-page portal-case" aria-labelledby="case-title">
      <header class="case-header">
        <div class="breadcrumb-row">
          <p class="breadcrumb"><Link href={paths.portal()}>← My cases</Link></p>
          <LiveIndicator state={live} />
        </div>
        <h1 id="case-title"><span class="case-number">#{kase.number}</span> {kase.subject}</h1>
        <dl class="case-facts">
          <div><dt>Status</dt><dd><StatusBadge status={kase.status} label={CUSTOMER_STATUS_LABELS[kase.status]} /></dd></div>
          <div><dt>Handled by</dt><dd class="case-owner">{escalation?.owner_name || (kase.owner ? kase.owner.name : 'Not assigned yet')}</dd></div>
          <div><dt>Level</dt><dd>{escalation ? levelName(escalation.level) : kase.level === 1 ? 'Customer care (level 1)' : `Level ${kase.level}`}</dd></div>
          <div><dt>Opened</dt><dd><Time iso={kase.opened_at} /></dd></div>
          <div><dt>Last update</dt><dd><Time iso={kase.updated_at} /></dd></div>
        </dl>
        <p class="record-line">
          <RecordDownload href={api.recordUrl(kase.id)} caseNumber={kase.number} label="Download my record" />
          <span class="hint">Everything on this page, with the times and who handled it, as a file you can keep.</span>
        </p>
      </header>
      <div class="portal-main">
        <EscalationSummary kase={kase} onChanged={applied} />
        <PublicTimeline events={events} />
        {kase.status === 'closed'
          ? <p class="hint">This case is closed. Open a new case if you need more help.</p>
          : <CustomerReply caseId={kase.id} onSent={applied} />}
      </div>
    </article>
  );
}

function CustomerReply({ caseId, onSent }: {
  caseId: number;
  onSent: (result: { case: Case; events: CaseEvent[] }) => void;
}) {
  const { api } = useSession();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const key = useRef<string | null>(null);

  return (
    <form class="composer composer-reply" aria-labelledby="reply-title" onSubmit={async (e) => {
      e.preventDefault();
      if (text.trim() === '') return;
      key.current ??= newIdempotencyKey();
      setBusy(true);
      setError(null);
      try {
        onSent(await api.sendMessage(caseId, text, key.current));
        key.current = null;
        setText('');
        setStatus('Your message was added to the case.');
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      <h2 id="reply-title">Write to us</h2>
      <label for="reply-text">Your message</label>
      <textarea id="reply-text" rows={4} value={text}
        onInput={(e) => { setText(e.currentTarget.value); key.current = null; }} />
      <ErrorMessage error={error} />
      <div class="composer-actions">
        <button type="submit" class="button primary" disabled={busy}>{busy ? 'Sending…' : 'Send message'}</button>
        <span role="status" class="composer-status">{status}</span>
      </div>
    </form>
  );
}
