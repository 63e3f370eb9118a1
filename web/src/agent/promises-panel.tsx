// Promises on record: open and broken ones first, each with its due time and who made it.
// Staff make a promise (what, by when) and mark one kept. Every later agent sees them here.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { InputError } from '../api/errors';
import type { Case, CaseWithEvents, PromiseView } from '../api/types';
import { escalationOf, localInputToIso, PROMISE_STATUS_LABELS, sortPromises, toLocalInput } from '../lib/escalation';
import { ErrorMessage, Field, Time } from '../ui/common';
import { FormDialog } from '../ui/form-dialog';
import { useOpenOnRequest } from '../ui/open-request';
import { useSession } from '../ui/session';

export function PromiseItem({ promise, children }: { promise: PromiseView; children?: ComponentChildren }) {
  const late = promise.overdue || promise.status === 'broken';
  return (
    <li class={`promise promise-${promise.status}${late ? ' overdue' : ''}`} data-promise-id={promise.id}>
      <span class={`badge promise-status-${promise.status}`}>{PROMISE_STATUS_LABELS[promise.status] ?? promise.status}</span>
      <span class="promise-what">{promise.what}</span>
      <span class="promise-meta">
        {promise.status === 'open' ? 'due ' : 'was due '}<Time iso={promise.due_at} />
        {promise.made_by && <> · by {promise.made_by}</>}
        {promise.overdue && promise.status === 'open' && <span class="overdue-label"> Overdue</span>}
      </span>
      {children}
    </li>
  );
}

export function PromisesPanel({ kase, onChanged, openRequest }: { kase: Case; onChanged: (r: CaseWithEvents) => void; openRequest?: number }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [what, setWhat] = useState('');
  const [due, setDue] = useState('');
  const [keepError, setKeepError] = useState<unknown>(null);
  const [keeping, setKeeping] = useState<number | null>(null);
  const startPromise = () => {
    setDue(toLocalInput(new Date(Date.now() + 24 * 3600 * 1000)));
    setOpen(true);
  };
  useOpenOnRequest(openRequest, () => { if (kase.status !== 'closed') startPromise(); });
  const view = escalationOf(kase);
  if (!view) return null;
  const promises = sortPromises(view.promises);

  async function keep(id: number) {
    setKeeping(id);
    setKeepError(null);
    try {
      onChanged(await api.keepPromise(kase.id, id));
    } catch (e) {
      setKeepError(e);
    } finally {
      setKeeping(null);
    }
  }

  return (
    <section class="panel promises-panel" aria-labelledby="promises-title">
      <h2 id="promises-title">Promises</h2>
      {promises.length === 0 && <p class="empty">No promises on this case.</p>}
      {promises.length > 0 && (
        <ul class="promises">
          {promises.map((p) => (
            <PromiseItem key={p.id} promise={p}>
              {p.status === 'open' && (
                <button type="button" class="button secondary small" disabled={keeping !== null}
                  onClick={() => void keep(p.id)} aria-label={`Mark kept: ${p.what}`}>
                  Mark kept
                </button>
              )}
            </PromiseItem>
          ))}
        </ul>
      )}
      <ErrorMessage error={keepError} />
      <button type="button" class="button secondary" disabled={kase.status === 'closed'} onClick={startPromise}>
        Make a promise…
      </button>
      <FormDialog open={open} id="promise-dialog" title="Make a promise" submitLabel="Promise"
        onClose={() => setOpen(false)}
        onSubmit={async (key) => {
          const dueAt = localInputToIso(due);
          if (!dueAt) throw new InputError('Please give the date and time by which it will be done.');
          onChanged(await api.makePromise(kase.id, what.trim(), dueAt, key));
          setWhat('');
        }}>
        <Field id="promise-what" label="What will be done" hint="The customer sees this, word for word.">
          <input id="promise-what" type="text" required maxLength={500} value={what} aria-describedby="promise-what-hint"
            onInput={(e) => setWhat(e.currentTarget.value)} />
        </Field>
        <Field id="promise-due" label="By when (your time zone)">
          <input id="promise-due" type="datetime-local" required value={due} min={toLocalInput(new Date())}
            onInput={(e) => setDue(e.currentTarget.value)} />
        </Field>
      </FormDialog>
    </section>
  );
}
