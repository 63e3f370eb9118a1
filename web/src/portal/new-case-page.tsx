// A customer opens a case: a subject and what happened.
import { useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api/idempotency';
import { paths } from '../lib/routes';
import { ErrorMessage, Field, useTitle } from '../ui/common';
import { Link, navigate } from '../ui/router';
import { useSession } from '../ui/session';

export function NewCasePage() {
  const { api } = useSession();
  useTitle('Open a new case');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);

  return (
    <form class="card new-case" aria-labelledby="new-case-title" onSubmit={async (e) => {
      e.preventDefault();
      key.current ??= newIdempotencyKey();
      setBusy(true);
      setError(null);
      try {
        const created = await api.createCase({ subject: subject.trim(), body }, key.current);
        navigate(paths.portalCase(created.id));
      } catch (err) {
        setError(err);
        setBusy(false);
      }
    }}>
      <p class="breadcrumb"><Link href={paths.portal()}>← My cases</Link></p>
      <h1 id="new-case-title">Open a new case</h1>
      <Field id="new-subject" label="Subject" hint="A few words, for example “Refund not received for order 4411”.">
        <input id="new-subject" type="text" required maxLength={300} value={subject}
          aria-describedby="new-subject-hint"
          onInput={(e) => { setSubject(e.currentTarget.value); key.current = null; }} />
      </Field>
      <Field id="new-body" label="What happened?" hint="Include dates, order numbers and what you were told.">
        <textarea id="new-body" required rows={8} value={body} aria-describedby="new-body-hint"
          onInput={(e) => { setBody(e.currentTarget.value); key.current = null; }} />
      </Field>
      <ErrorMessage error={error} />
      <button type="submit" class="button primary" disabled={busy}>{busy ? 'Sending…' : 'Open case'}</button>
    </form>
  );
}
