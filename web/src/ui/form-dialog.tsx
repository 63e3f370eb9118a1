// A modal form: the browser's <dialog> traps focus and closes on Escape; the form reports
// its error in words and stays open until the action succeeds. The Idempotency-Key lives
// as long as the dialog is open, so pressing "Save" again after a lost answer writes once.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api/idempotency';
import { ErrorMessage } from './common';

export function FormDialog({ open, id, title, submitLabel, onClose, onSubmit, children, danger = false }: {
  open: boolean;
  id: string;
  title: string;
  submitLabel: string;
  onClose: () => void;
  /** Runs the action with the dialog's idempotency key; throws to keep the dialog open. */
  onSubmit: (idempotencyKey: string) => Promise<void>;
  children: ComponentChildren;
  danger?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setError(null);
      key.current = newIdempotencyKey();
      element.showModal();
    }
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog ref={dialog} class="form-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await onSubmit(key.current);
          onClose();
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        <ErrorMessage error={error} />
        <div class="dialog-actions">
          <button type="submit" class={danger ? 'button danger' : 'button primary'} disabled={busy}>
            {busy ? 'Saving…' : submitLabel}
          </button>
          <button type="button" class="button secondary" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </dialog>
  );
}
