// Write a public reply or an internal note. Which one is selected is said three times:
// the selected tab, the colour of the box, and the words on the button. The same
// Idempotency-Key is reused until a send succeeds, so a retry after a lost answer does
// not post the message twice.
//
// Canned replies: "/" followed by part of a title, at the start of the text or after a
// space, opens the matching replies under the box (arrows move, Enter or Tab inserts,
// Escape closes); the "Canned reply" button (or the "/" shortcut outside a field) opens
// the same list with a search field. The inserted text has its {{placeholders}} filled
// from the case; one the composer cannot fill stays visible, and sending is refused until
// the agent has replaced it.
import { forwardRef } from 'preact/compat';
import { useEffect, useImperativeHandle, useRef, useState } from 'preact/hooks';
import { InputError } from '../api/errors';
import { newIdempotencyKey } from '../api/idempotency';
import type { CaseWithEvents } from '../api/types';
import {
  type CannedReply, filterCanned, fillPlaceholders, hasUnfilled, insertAtSlash,
  type PlaceholderValues, type SlashQuery, slashQueryAt,
} from '../lib/canned';
import { ErrorMessage } from '../ui/common';
import { useSession } from '../ui/session';
import { CannedList } from './canned-picker';

export type ComposerMode = 'reply' | 'note';

export interface ComposerHandle {
  open: (mode: ComposerMode) => void;
  openCanned: () => void;
}

type Picker = { kind: 'slash'; slash: SlashQuery } | { kind: 'search'; query: string } | null;

export const Composer = forwardRef<ComposerHandle, {
  caseId: number;
  disabled: boolean;
  placeholders: PlaceholderValues;
  onSent: (result: CaseWithEvents) => void;
}>(function Composer({ caseId, disabled, placeholders, onSent }, ref) {
  const { api } = useSession();
  const [canned, setCanned] = useState<{ items: CannedReply[] | null; failed: boolean }>({ items: null, failed: false });
  const [picker, setPicker] = useState<Picker>(null);
  const [active, setActive] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const key = useRef<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

  // The list is small and changes rarely: fetched once, when a picker first opens.
  useEffect(() => {
    if (picker === null || canned.items !== null || canned.failed) return;
    api.listCanned().then(
      (list) => setCanned({ items: list.items, failed: false }),
      () => setCanned({ items: null, failed: true }));
  }, [picker, canned, api]);
  useEffect(() => { if (picker?.kind === 'search') search.current?.focus(); }, [picker?.kind]);

  const query = picker === null ? '' : picker.kind === 'slash' ? picker.slash.query : picker.query;
  const matches = filterCanned(canned.items ?? [], query);

  function openSearch() {
    setPicker({ kind: 'search', query: '' });
    setActive(0);
  }

  useImperativeHandle(ref, () => ({
    open: (next) => {
      setMode(next);
      textarea.current?.focus();
      textarea.current?.scrollIntoView({ block: 'center' });
    },
    openCanned: () => {
      textarea.current?.scrollIntoView({ block: 'center' });
      openSearch();
    },
  }), []);

  function pick(reply: CannedReply) {
    const element = textarea.current;
    const filled = fillPlaceholders(reply.body, placeholders);
    const caret = element?.selectionStart ?? text.length;
    let next: { text: string; caret: number };
    if (picker?.kind === 'slash') {
      next = insertAtSlash(text, picker.slash, caret, filled);
    } else {
      next = { text: text.slice(0, caret) + filled + text.slice(caret), caret: caret + filled.length };
    }
    setText(next.text);
    key.current = null;
    setPicker(null);
    setStatus(`Inserted “${reply.title}”.`);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(next.caret, next.caret);
    });
  }

  /** Arrow keys, Enter/Tab and Escape while a picker is open; true when handled. */
  function pickerKey(e: KeyboardEvent): boolean {
    if (picker === null) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (matches.length === 0 ? 0 : (i + step + matches.length) % matches.length));
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey && matches[active]) {
      pick(matches[active]);
    } else if (e.key === 'Escape') {
      const wasSearch = picker.kind === 'search';
      setPicker(null);
      if (wasSearch) textarea.current?.focus();
    } else {
      return false;
    }
    e.preventDefault();
    e.stopPropagation();
    return true;
  }

  function followSlash(element: HTMLTextAreaElement) {
    const slash = slashQueryAt(element.value, element.selectionStart ?? element.value.length);
    if (slash) {
      if (picker?.kind !== 'slash' || picker.slash.query !== slash.query) setActive(0);
      setPicker({ kind: 'slash', slash });
    } else if (picker?.kind === 'slash') {
      setPicker(null);
    }
  }

  async function send(event: Event) {
    event.preventDefault();
    if (text.trim() === '') {
      setError(null);
      setStatus('');
      textarea.current?.focus();
      return;
    }
    if (hasUnfilled(text)) {
      setError(new InputError('Replace the {{…}} placeholders in the text before sending.'));
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
        aria-describedby="composer-canned-hint"
        aria-controls={picker?.kind === 'slash' ? 'canned-slash' : undefined}
        aria-activedescendant={picker?.kind === 'slash' && matches[active] ? `canned-slash-${matches[active].id}` : undefined}
        onInput={(e) => { setText(e.currentTarget.value); key.current = null; followSlash(e.currentTarget); }}
        onBlur={() => { if (picker?.kind === 'slash') setPicker(null); }}
        onKeyDown={(e) => {
          if (picker?.kind === 'slash' && pickerKey(e)) return;
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
        placeholder={isNote ? 'What should colleagues know?' : 'Write to the customer…'} />
      <p class="hint" id="composer-canned-hint">Type <kbd>/</kbd> and part of a title to insert a canned reply.</p>
      {picker?.kind === 'slash' && (
        <div class="canned-popup">
          <CannedList id="canned-slash" items={matches} active={active} onPick={pick}
            loading={canned.items === null && !canned.failed} error={canned.failed} />
        </div>
      )}
      {picker?.kind === 'search' && (
        <div class="canned-popup canned-search">
          <label for="canned-query">Find a canned reply</label>
          <input id="canned-query" ref={search} type="search" autoComplete="off" value={picker.query}
            role="combobox" aria-expanded="true" aria-controls="canned-found"
            aria-activedescendant={matches[active] ? `canned-found-${matches[active].id}` : undefined}
            onInput={(e) => { setPicker({ kind: 'search', query: e.currentTarget.value }); setActive(0); }}
            onKeyDown={(e) => { pickerKey(e); }} />
          <CannedList id="canned-found" items={matches} active={active} onPick={pick}
            loading={canned.items === null && !canned.failed} error={canned.failed} />
        </div>
      )}
      <ErrorMessage error={error} />
      <div class="composer-actions">
        <button type="submit" class="button primary" disabled={busy || disabled}>
          {busy ? 'Sending…' : isNote ? 'Add internal note' : 'Send reply to customer'}
        </button>
        <button type="button" class="button secondary" disabled={disabled}
          onClick={() => (picker?.kind === 'search' ? setPicker(null) : openSearch())}>
          Canned reply
        </button>
        <span class="composer-status" role="status">{status}</span>
      </div>
    </form>
  );
});
