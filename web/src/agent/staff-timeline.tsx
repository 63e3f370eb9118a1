// The staff view of a case's timeline: everything, with internal notes drawn apart
// (their own background, border and an "Internal" label) so nobody mistakes one for
// something the customer saw.
import type { CaseEvent } from '../api/types';
import { channelLabel } from '../lib/labels';
import { buildTimeline, evidencePhotos, type TimelineEntry } from '../lib/timeline';
import { AttachmentList } from '../ui/attachment-list';
import { Time } from '../ui/common';

function Entry({ entry }: { entry: TimelineEntry }) {
  const classes = ['entry', `entry-${entry.kind}`, entry.internal ? 'entry-internal' : 'entry-public'];
  return (
    <li class={classes.join(' ')} data-seq={entry.seq} data-kind={entry.kind}>
      <div class="entry-head">
        {entry.internal && <span class="internal-label">Internal</span>}
        <span class="entry-summary">{entry.summary}</span>
        {(entry.kind === 'opened' || entry.kind === 'customer' || entry.kind === 'reply') &&
          <span class="entry-channel">via {channelLabel(entry.channel)}</span>}
        <Time iso={entry.at} />
      </div>
      {entry.body !== undefined && <div class="entry-body">{entry.body}</div>}
      {entry.details.length > 0 && (
        <dl class="entry-details">
          {entry.details.map((d) => (
            <div key={d.label}><dt>{d.label}</dt><dd>{d.text}</dd></div>
          ))}
        </dl>
      )}
      {evidencePhotos(entry.event).map((src, i) => (
        <img key={i} class="evidence-photo" src={src} alt={`Photo attached as evidence (${i + 1})`} />
      ))}
      <AttachmentList event={entry.event} />
    </li>
  );
}

export function StaffTimeline({ events }: { events: readonly CaseEvent[] }) {
  const days = buildTimeline(events);
  return (
    <section class="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
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
