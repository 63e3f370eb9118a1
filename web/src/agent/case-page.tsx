// The agent's case page: the whole story on one screen. Header facts, one timeline of
// every event, the composer under it, and beside it the actions and the customer.
// Beside it: the escalation ladder, promises, status/priority/owner, decision, credit.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { collect } from '../api/pagination';
import type { Case, CaseEvent, CaseWithEvents } from '../api/types';
import { channelLabel } from '../lib/labels';
import { paths } from '../lib/routes';
import { shortcutFor } from '../lib/shortcuts';
import type { PlaceholderValues } from '../lib/canned';
import { mergeEvents } from '../lib/timeline';
import { ErrorMessage, Loading, NotFound, PriorityBadge, RecordDownload, StatusBadge, Time, useTitle } from '../ui/common';
import { Link, navigate } from '../ui/router';
import { useSession } from '../ui/session';
import { LiveIndicator, useLiveRefetch } from '../ui/live';
import { useAsync } from '../ui/use-async';
import { AssignForm, PriorityForm, StatusForm } from './case-actions';
import { Composer, type ComposerHandle } from './composer';
import { CustomerPanel } from './customer-panel';
import { CreditPanel, DecisionPanel } from './decision-credit';
import { EscalationPanel } from './escalation-panel';
import { PromisesPanel } from './promises-panel';
import { HelpDialog } from './help-dialog';
import { StaffTimeline } from './staff-timeline';

interface Loaded {
  kase: Case;
  events: CaseEvent[];
}

export function CasePage({ caseId }: { caseId: number }) {
  const { api, me } = useSession();
  const state = useAsync<Loaded>(async () => {
    const [kase, events] = await Promise.all([
      api.getCase(caseId),
      collect((cursor) => api.listEvents(caseId, cursor)),
    ]);
    return { kase, events: events.items };
  }, [api, caseId]);
  const customerId = state.data?.kase.customer_id;
  const customer = useAsync(
    () => (customerId === undefined ? Promise.resolve(null) : api.getCustomer(customerId)),
    [api, customerId]);
  const composer = useRef<ComposerHandle>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [assignFocus, setAssignFocus] = useState(0);
  const [requests, setRequests] = useState({ promise: 0, decision: 0, escalate: 0, credit: 0 });
  const knownSeq = state.data?.events.reduce((max, e) => Math.max(max, e.seq), 0);
  const live = useLiveRefetch({ kind: 'case', caseId, knownSeq }, state.reload);
  useTitle(state.data ? `#${state.data.kase.number} ${state.data.kase.subject}` : `Case ${caseId}`);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutFor(event);
      if (!action) return;
      if (action === 'reply' || action === 'note') composer.current?.open(action);
      else if (action === 'canned') composer.current?.openCanned();
      else if (action === 'assign' || action === 'transfer') setAssignFocus((n) => n + 1);
      else if (action === 'promise' || action === 'decision' || action === 'escalate' || action === 'credit') {
        setRequests((r) => ({ ...r, [action]: r[action] + 1 }));
      }
      else if (action === 'help') setHelpOpen(true);
      else if (action === 'back') navigate(paths.agentQueue('mine'));
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const applied = (result: CaseWithEvents) => state.setData((previous) => ({
    kase: result.case,
    events: mergeEvents(previous?.events ?? [], result.events),
  }));

  if (state.error instanceof ApiError && state.error.isNotFound) {
    return <NotFound message="This case does not exist." backHref={paths.agentQueue('mine')} backLabel="Back to my queue" />;
  }
  if (!state.data) {
    return state.error
      ? <ErrorMessage error={state.error} onRetry={state.reload} />
      : <Loading what="the case" />;
  }

  const { kase, events } = state.data;
  const placeholders: PlaceholderValues = {
    'customer.name': customer.data?.name,
    'customer.email': customer.data?.emails[0],
    'case.id': String(kase.number),
    'case.subject': kase.subject,
    'agent.name': me.name,
  };
  return (
    <article class="case-page" aria-labelledby="case-title">
      <header class="case-header">
        <div class="breadcrumb-row">
          <p class="breadcrumb"><Link href={paths.agentQueue('mine')}>← Queues</Link></p>
          <LiveIndicator state={live} />
        </div>
        <h1 id="case-title"><span class="case-number">#{kase.number}</span> {kase.subject}</h1>
        <dl class="case-facts">
          <div><dt>Status</dt><dd><StatusBadge status={kase.status} /></dd></div>
          <div><dt>Priority</dt><dd><PriorityBadge priority={kase.priority} /></dd></div>
          <div><dt>Owner</dt><dd>{kase.owner ? kase.owner.name : 'Unassigned'}</dd></div>
          <div><dt>Level</dt><dd class="case-level">{kase.level_name ? `${kase.level} · ${kase.level_name}` : kase.level}</dd></div>
          <div><dt>Category</dt><dd>{kase.category || '—'}</dd></div>
          <div><dt>Channel</dt><dd>{channelLabel(kase.channel)}</dd></div>
          <div><dt>Opened</dt><dd><Time iso={kase.opened_at} /></dd></div>
          <div><dt>First response</dt><dd>{kase.first_response_at ? <Time iso={kase.first_response_at} /> : 'Not yet'}</dd></div>
          <div><dt>Transfers</dt><dd>{kase.counts.transfers}</dd></div>
        </dl>
        <p class="record-line">
          <RecordDownload href={api.recordUrl(kase.id)} caseNumber={kase.number} label="Download the record" />
        </p>
      </header>
      <div class="case-columns">
        <div class="case-main">
          <StaffTimeline events={events} />
          <Composer ref={composer} caseId={kase.id} disabled={kase.status === 'closed'} placeholders={placeholders} onSent={applied} />
          <p class="hint shortcut-hint">
            <kbd>r</kbd> reply · <kbd>n</kbd> note · <kbd>/</kbd> canned reply · <kbd>t</kbd> transfer · <kbd>p</kbd> promise · <kbd>d</kbd> decision · <kbd>e</kbd> escalate · <kbd>?</kbd> all shortcuts
          </p>
        </div>
        <aside class="case-side" aria-label="Escalation, promises, actions and customer">
          <EscalationPanel kase={kase} onChanged={applied} openRequest={requests.escalate} />
          <PromisesPanel kase={kase} onChanged={applied} openRequest={requests.promise} />
          <section class="panel" aria-label="Actions">
            <StatusForm kase={kase} onChanged={applied} />
            <PriorityForm kase={kase} onChanged={applied} />
            <AssignForm kase={kase} onChanged={applied} focusRequest={assignFocus} />
          </section>
          <DecisionPanel kase={kase} onChanged={applied} openRequest={requests.decision} />
          <CreditPanel kase={kase} onChanged={applied} openRequest={requests.credit} />
          <CustomerPanel kase={kase} customer={customer} />
        </aside>
      </div>
      <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </article>
  );
}
