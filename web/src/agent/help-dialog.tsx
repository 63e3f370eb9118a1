// The list of keyboard shortcuts, in a modal <dialog> (focus is trapped and Escape closes).
import { useEffect, useRef } from 'preact/hooks';
import { FIELD_SHORTCUTS, SHORTCUTS } from '../lib/shortcuts';

export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} class="help-dialog" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <dl class="shortcut-list">
        {[...SHORTCUTS, ...FIELD_SHORTCUTS].map((s) => (
          <div key={s.key} class="shortcut">
            <dt><kbd>{s.key}</kbd></dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">Shortcuts do nothing while you are typing in a field.</p>
      <form method="dialog">
        <button type="submit" class="button primary">Close</button>
      </form>
    </dialog>
  );
}
