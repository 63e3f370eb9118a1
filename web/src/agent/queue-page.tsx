// A queue: tabs with counts, a sortable list of cases, j/k to move and Enter to open.
import { useEffect, useRef, useState } from 'preact/hooks';
import { availableQueues, dueOf, QUEUES, type QueueId, type SortDirection, type SortKey, sortCases } from '../lib/queues';
import { paths } from '../lib/routes';
import { moveSelection, shortcutFor } from '../lib/shortcuts';
import { ErrorMessage, Loading, PriorityBadge, StatusBadge, Time, useTitle } from '../ui/common';
import { Link, navigate } from '../ui/router';
import { useSession } from '../ui/session';
import { LiveIndicator, useLiveRefetch } from '../ui/live';
import { useAsync } from '../ui/use-async';
import { HelpDialog } from './help-dialog';
import { countLabel, loadQueues } from './queue-data';

const SORTS: { key: SortKey; label: string }[] = [
  { key: 'due', label: 'Due time' },
  { key: 'updated', label: 'Last updated' },
  { key: 'opened', label: 'Opened' },
  { key: 'priority', label: 'Priority' },
];

export function QueuePage({ queueId }: { queueId: string }) {
  const { api, me } = useSession();
  const queue = QUEUES.find((q) => q.id === queueId) ?? QUEUES[0];
  useTitle(`${queue.title} — queue`);
  const queues = useAsync(() => loadQueues(api, me, queue.id), [api, me.id, queue.id]);
  const live = useLiveRefetch({ kind: 'list' }, queues.reload);
  const serverQueues = queues.data?.serverQueues ?? false;
  const [sortChoice, setSortChoice] = useState<{ key: SortKey; direction: SortDirection } | null>(null);
  // Due time first where the server knows due times; the latest update otherwise.
  const { key: sortKey, direction } = sortChoice ?? (serverQueues
    ? { key: 'due' as const, direction: 'asc' as const }
    : { key: 'updated' as const, direction: 'desc' as const });
  const setSortKey = (key: SortKey) => setSortChoice({ key, direction });
  const setDirection = (next: SortDirection) => setSortChoice({ key: sortKey, direction: next });
  const tabs = queues.data ? availableQueues(serverQueues) : QUEUES.filter((q) => q.fallback);
  // The selected case by id, not by row: a live refetch may reorder the rows under the
  // keyboard, and Enter must still open the case the agent selected.
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const list = useRef<HTMLOListElement>(null);

  const current = queues.data?.shownId === queue.id ? queues.data : undefined;
  const contents = current?.shown ?? null;
  const unavailable = current !== undefined && contents === null;
  const cases = contents ? sortCases(contents.cases, sortKey, direction) : [];

  const selected = selectedId === null ? -1 : cases.findIndex((c) => c.id === selectedId);

  useEffect(() => setSelectedId(null), [queueId]);

  // The key handler is registered once and reads the state of the latest render through a
  // ref. Re-registering it after every render left a gap: a key pressed after the selection
  // showed on screen but before the effect ran went to the old handler, which saw no
  // selection, so an Enter right after a j was lost.
  const keyState = useRef({ cases, selected, selectedId });
  keyState.current = { cases, selected, selectedId };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { cases, selected, selectedId } = keyState.current;
      const action = shortcutFor(event);
      if (action === 'help') { event.preventDefault(); setHelpOpen(true); return; }
      if (action === 'next' || action === 'previous') {
        event.preventDefault();
        setSelectedId(cases[moveSelection(selected, cases.length, action)]?.id ?? null);
      } else if (action === 'open' && selectedId !== null &&
        !(event.target instanceof HTMLAnchorElement)) {
        // (On a focused link, Enter already follows it.) By id: the list may be refetching.
        event.preventDefault();
        navigate(paths.agentCase(selectedId));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Keep the selected row in view and focused, so the keyboard and the screen agree. Found
  // by case id: a live refetch may have reordered the rows since the selection was made,
  // and focusing by row index would then move the selection to another case.
  useEffect(() => {
    if (selectedId === null) return;
    list.current?.querySelector<HTMLAnchorElement>(`a.case-row-link[data-case-id="${selectedId}"]`)
      ?.focus();
  }, [selectedId]);

  return (
    <div class="queue-page">
      <div class="page-heading">
        <h1>Queues</h1>
        <LiveIndicator state={live} />
        <button type="button" class="button secondary small" onClick={() => queues.reload()}>
          Refresh
        </button>
      </div>
      <nav class="queue-tabs" aria-label="Queues">
        {tabs.map((q) => (
          <Link key={q.id} href={paths.agentQueue(q.id)} class={q.id === queue.id ? 'tab active' : 'tab'}
            aria-current={q.id === queue.id ? 'page' : undefined}>
            {q.title}
            {countLabel(queues.data?.counts[q.id as QueueId]) !== null && (
              <span class="count">
                {countLabel(queues.data?.counts[q.id as QueueId])}<span class="visually-hidden"> cases</span>
              </span>
            )}
          </Link>
        ))}
      </nav>
      <div class="sort-bar">
        <label for="sort-key">Sort by</label>
        <select id="sort-key" value={sortKey} onChange={(e) => setSortKey(e.currentTarget.value as SortKey)}>
          {SORTS.filter((s) => s.key !== 'due' || serverQueues).map((s) => <option key={s.key} value={s.key}>{s.label}</option>)}
        </select>
        <label for="sort-direction" class="visually-hidden">Order</label>
        <select id="sort-direction" value={direction}
          onChange={(e) => setDirection(e.currentTarget.value as SortDirection)}>
          <option value="desc">{sortKey === 'priority' ? 'Highest first' : sortKey === 'due' ? 'Latest first' : 'Newest first'}</option>
          <option value="asc">{sortKey === 'priority' ? 'Lowest first' : sortKey === 'due' ? 'Soonest first' : 'Oldest first'}</option>
        </select>
        <button type="button" class="link-button" onClick={() => setHelpOpen(true)}>
          Keyboard shortcuts (?)
        </button>
      </div>
      <ErrorMessage error={queues.error} onRetry={queues.reload} />
      {queues.loading && !current && <Loading what="cases" />}
      {unavailable && <p class="empty">This queue needs the escalation engine, which this server does not run.</p>}
      {contents && cases.length === 0 && <p class="empty">No open cases in this queue.</p>}
      {cases.length > 0 && (
        <ol class="case-list" ref={list} aria-label={`${queue.title} cases`}>
          {cases.map((c, i) => (
            <li key={c.id} class={i === selected ? 'case-row selected' : 'case-row'}>
              <Link class="case-row-link" href={paths.agentCase(c.id)} data-case-id={c.id}
                onFocus={() => setSelectedId(c.id)}>
                <span class="case-number">#{c.number}</span>
                <span class="case-subject">{c.subject}</span>
              </Link>
              <div class="case-meta">
                <StatusBadge status={c.status} />
                <PriorityBadge priority={c.priority} />
                <span class="owner">{c.owner ? c.owner.name : 'Unassigned'}</span>
                <span class="level">Level {c.level}</span>
                {dueOf(c) && (
                  <span class={c.escalation?.overdue ? 'due overdue-label' : 'due'}>
                    {c.escalation?.overdue ? 'Overdue since' : 'Due'} <Time iso={dueOf(c)!} relative />
                  </span>
                )}
                <span class="updated">Updated <Time iso={c.updated_at} relative /></span>
              </div>
            </li>
          ))}
        </ol>
      )}
      <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
