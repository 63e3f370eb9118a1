// Write a public reply or an internal note. Which one is selected is said three times:
// the selected tab, the colour of the box, and the words on the button. The same
// Idempotency-Key is reused until a send succeeds, so a retry after a lost answer does
// not post the message twice.
import { forwardRef } from 'preact/compat';
import { useImperativeHandle, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api/idempotency';
import type { CaseWithEvents } from '../api/types';
import { ErrorMessage } from '../ui/common';
import { useSession } from '../ui/session';

export type ComposerMode = 'reply' | 'note';

export interface ComposerHandle {
  open: (mode: ComposerMode) => void;
}

export const Composer = forwardRef<ComposerHandle, {
  caseId: number;
  disabled: boolean;
  onSent: (result: CaseWithEvents) => void;
}>(function Composer({ caseId, disabled, onSent }, ref) {
  const { api } = useSession();
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const key = useRef<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

  useImperativeHandle(ref, () => ({
    open: (next) => {
      setMode(next);
      textarea.current?.focus();
      textarea.current?.scrollIntoView({ block: 'center' });
    },
  }), []);

  async function send(event: Event) {
    event.preventDefault();
    if (text.trim() === '') {
      setError(null);
      setStatus('');
      textarea.current?.focus();
      return;
    }
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      const result = mode === 'reply'
        ? await api.sendMessage(caseId, text, key.current)
        : await api.addNote(caseId, text, key.current);
      key.current = null;
      setText('');
      setStatus(mode === 'reply' ? 'Reply sent to the customer.' : 'Internal note added.');
      onSent(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const isNote = mode === 'note';
  return (
    <form class={isNote ? 'composer composer-note' : 'composer composer-reply'} onSubmit={send}
      aria-labelledby="composer-title">
      <h2 id="composer-title" class="visually-hidden">Write to this case</h2>
      <fieldset class="mode-switch">
        <legend class="visually-hidden">What are you writing?</legend>
        <label class={mode === 'reply' ? 'mode active' : 'mode'}>
          <input type="radio" name="composer-mode" value="reply" checked={mode === 'reply'}
            onChange={() => { setMode('reply'); key.current = null; }} />
          Public reply
        </label>
        <label class={isNote ? 'mode active' : 'mode'}>
          <input type="radio" name="composer-mode" value="note" checked={isNote}
            onChange={() => { setMode('note'); key.current = null; }} />
          Internal note
        </label>
      </fieldset>
      <label for="composer-text" class="composer-audience">
        {isNote ? 'Internal note — only staff will see this' : 'Reply — the customer will see this'}
      </label>
      <textarea id="composer-text" ref={textarea} rows={5} value={text} disabled={disabled}
        onInput={(e) => { setText(e.currentTarget.value); key.current = null; }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
        placeholder={isNote ? 'What should colleagues know?' : 'Write to the customer…'} />
      <ErrorMessage error={error} />
      <div class="composer-actions">
        <button type="submit" class="button primary" disabled={busy || disabled}>
          {busy ? 'Sending…' : isNote ? 'Add internal note' : 'Send reply to customer'}
        </button>
        <span class="composer-status" role="status">{status}</span>
      </div>
    </form>
  );
});
