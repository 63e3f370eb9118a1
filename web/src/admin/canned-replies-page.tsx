// Canned replies: every staff member sees the list (it is what "/" offers in the
// composer); supervisors and admins add, change and remove entries. The server checks the
// role and the placeholders; its sentence is shown as it is.
import { useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api/idempotency';
import type { CannedReply } from '../lib/canned';
import { ErrorMessage, Field, Loading, Time, useTitle } from '../ui/common';
import { useSession } from '../ui/session';
import { useAsync } from '../ui/use-async';

interface Draft {
  id: number | null;  // null: a new reply
  title: string;
  body: string;
}

const EMPTY: Draft = { id: null, title: '', body: '' };

function CannedForm({ draft, placeholders, onChange, onSaved, onCancel }: {
  draft: Draft;
  placeholders: string[];
  onChange: (draft: Draft) => void;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);
  const editing = draft.id !== null;
  return (
    <form class="panel canned-form" aria-labelledby="canned-form-title" onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true);
      setError(null);
      try {
        const input = { title: draft.title.trim(), body: draft.body };
        if (draft.id === null) {
          key.current ??= newIdempotencyKey();
          await api.createCanned(input, key.current);
          key.current = null;
        } else {
          await api.updateCanned(draft.id, input);
        }
        onSaved();
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      <h2 id="canned-form-title">{editing ? 'Change a canned reply' : 'Add a canned reply'}</h2>
      <Field id="canned-title" label="Title">
        <input id="canned-title" type="text" required maxLength={120} value={draft.title}
          onInput={(e) => { key.current = null; onChange({ ...draft, title: e.currentTarget.value }); }} />
      </Field>
      <Field id="canned-body" label="Text"
        hint={`Placeholders filled in when it is inserted: ${placeholders.map((p) => `{{${p}}}`).join(', ')}`}>
        <textarea id="canned-body" rows={6} required maxLength={8000} value={draft.body} aria-describedby="canned-body-hint"
          onInput={(e) => { key.current = null; onChange({ ...draft, body: e.currentTarget.value }); }} />
      </Field>
      <ErrorMessage error={error} />
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Add canned reply'}
        </button>
        {editing && <button type="button" class="button secondary" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

export function CannedRepliesPage() {
  const { api, me } = useSession();
  useTitle('Canned replies');
  const list = useAsync(() => api.listCanned(), [api]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const canEdit = me.role === 'supervisor' || me.role === 'admin';

  const remove = async (item: CannedReply) => {
    if (!confirm(`Remove the canned reply “${item.title}”?`)) return;
    setError(null);
    try {
      await api.deleteCanned(item.id);
      setDone(`Removed “${item.title}”.`);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="admin-page canned-page">
      <h1>Canned replies</h1>
      <p class="hint">
        In a case's reply box, type <kbd>/</kbd> and part of a title to insert one.
        {canEdit ? '' : ' Supervisors and admins can change this list.'}
      </p>
      <ErrorMessage error={list.error} onRetry={list.reload} />
      <ErrorMessage error={error} />
      <p class="action-done" role="status">{done}</p>
      {list.loading && !list.data && <Loading what="the canned replies" />}
      {list.data && list.data.items.length === 0 && <p class="empty">No canned replies yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <ul class="canned-table">
          {list.data.items.map((item) => (
            <li key={item.id} class="panel canned-item">
              <h2 class="canned-item-title">{item.title}</h2>
              <p class="canned-item-body">{item.body}</p>
              <p class="hint">Changed <Time iso={item.updated_at} relative /></p>
              {canEdit && (
                <div class="form-actions">
                  <button type="button" class="button secondary small" aria-label={`Edit “${item.title}”`}
                    onClick={() => { setDraft({ id: item.id, title: item.title, body: item.body }); setDone(''); }}>Edit</button>
                  <button type="button" class="button secondary small" aria-label={`Remove “${item.title}”`}
                    onClick={() => remove(item)}>Remove</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && list.data && (
        <CannedForm draft={draft} placeholders={list.data.placeholders} onChange={setDraft}
          onCancel={() => setDraft(EMPTY)}
          onSaved={() => {
            setDone(draft.id === null ? `Added “${draft.title.trim()}”.` : `Saved “${draft.title.trim()}”.`);
            setDraft(EMPTY);
            list.reload();
          }} />
      )}
    </div>
  );
}
