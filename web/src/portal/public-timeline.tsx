// The customer's timeline. The API never sends internal events to customers; this view
// also has no way to draw one: it keeps only public entries and knows only the public
// kinds (messages, replies, changes).
import type { CaseEvent } from '../api/types';
import { channelLabel } from '../lib/labels';
import { buildTimeline, evidencePhotos, type TimelineEntry } from '../lib/timeline';
import { AttachmentList } from '../ui/attachment-list';
import { Time } from '../ui/common';

const PUBLIC_KINDS = new Set(['opened', 'customer', 'reply', 'change', 'escalation', 'promise', 'decision', 'credit', 'linking']);

function isShown(entry: TimelineEntry): boolean {
  return !entry.internal && entry.event.visibility === 'public' && PUBLIC_KINDS.has(entry.kind);
}

function Entry({ entry }: { entry: TimelineEntry }) {
  const fromCustomer = entry.kind === 'opened' || entry.kind === 'customer';
  const message = fromCustomer || entry.kind === 'reply';
  return (
    <li class={`entry entry-${entry.kind} ${fromCustomer ? 'from-you' : ''}`} data-seq={entry.seq}>
      <div class="entry-head">
        <span class="entry-summary">
          {fromCustomer ? (entry.kind === 'opened' ? 'You opened the case' : 'You wrote') : entry.summary}
        </span>
        {message && <span class="entry-channel">via {channelLabel(entry.channel)}</span>}
        <Time iso={entry.at} />
      </div>
      {entry.body !== undefined && <div class="entry-body">{entry.body}</div>}
      {entry.kind === 'change' && entry.details.filter((d) => d.label === 'Reason').map((d) => (
        <p key={d.label} class="entry-reason">{d.label}: {d.text}</p>
      ))}
      {!message && entry.kind !== 'change' && entry.details.length > 0 && (
        <dl class="entry-details">
          {entry.details.map((d) => <div key={d.label}><dt>{d.label}</dt><dd>{d.text}</dd></div>)}
        </dl>
      )}
      {evidencePhotos(entry.event).map((src, i) => (
        <img key={i} class="evidence-photo" src={src} alt={`Photo attached as evidence (${i + 1})`} />
      ))}
      <AttachmentList event={entry.event} />
    </li>
  );
}

export function PublicTimeline({ events }: { events: readonly CaseEvent[] }) {
  const days = buildTimeline(events.filter((e) => e.visibility === 'public'))
    .map((day) => ({ ...day, entries: day.entries.filter(isShown) }))
    .filter((day) => day.entries.length > 0);
  return (
    <section class="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">What has happened</h2>
      {days.map((day) => (
        <section key={day.key} class="timeline-day" aria-label={day.heading}>
          <h3 class="day-heading">{day.heading}</h3>
          <ol class="entries">
            {day.entries.map((entry) => <Entry key={entry.seq} entry={entry} />)}
          </ol>
        </section>
      ))}
    </section>
  );
}
