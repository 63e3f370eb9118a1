// The escalation matrix editor: the running policy's TOML in a text area; Save sends it to
// the server, which validates it and either replaces the policy on every node or answers
// 422 with line-numbered errors (the running policy stays). The errors are listed beside the
// text; choosing one selects its line.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { lineCount, lineRange, policyErrors } from '../lib/policy-errors';
import { ErrorMessage, Loading, Time, useTitle } from '../ui/common';
import { useSession } from '../ui/session';
import { useAsync } from '../ui/use-async';
import { AdminNav } from './admin-nav';

const ORIGIN_WORDS: Record<string, string> = {
  file: 'the policy file', database: 'the database (saved here)', 'built-in': 'the built-in default',
};

export function EscalationPolicyPage() {
  const { api } = useSession();
  useTitle('Escalation matrix');
  const policy = useAsync(() => api.getPolicy(), [api]);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => { if (policy.data && text === null) setText(policy.data.source); }, [policy.data]);

  if (policy.error instanceof ApiError && policy.error.isNotFound) {
    return (
      <div class="admin-page">
        <h1>Administration</h1>
        <AdminNav current="escalation" />
        <p class="empty">This server runs without the escalation engine, so there is no matrix to edit.</p>
      </div>
    );
  }

  const errors = policyErrors(error);
  const source = text ?? '';
  const selectLine = (line: number) => {
    const element = area.current;
    if (!element) return;
    const [start, end] = lineRange(source, line);
    element.focus();
    element.setSelectionRange(start, end);
    // Scroll the line into view: the text area's line height times the lines above it.
    const lineHeight = parseFloat(getComputedStyle(element).lineHeight) || 20;
    element.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  return (
    <div class="admin-page">
      <h1>Administration</h1>
      <AdminNav current="escalation" />
      <ErrorMessage error={policy.error} onRetry={policy.reload} />
      {!policy.data && !policy.error && <Loading what="the escalation matrix" />}
      {policy.data && (
        <form class="policy-editor" aria-labelledby="policy-title" onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setDone('');
          try {
            const saved = await api.putPolicy(source);
            policy.setData(() => saved);
            setDone('Saved. Every node uses the new matrix within seconds.');
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}>
          <h2 id="policy-title">Escalation matrix and SLAs</h2>
          <p class="hint">
            Running since <Time iso={policy.data.loaded_at} />, from {ORIGIN_WORDS[policy.data.origin] ?? policy.data.origin}.
            Levels, SLA targets, business hours, authority limits and triggers, in TOML (docs/escalation.md).
          </p>
          <div class="policy-columns">
            <div class="policy-text">
              <label for="policy-source">Policy ({lineCount(source)} lines)</label>
              <textarea id="policy-source" ref={area} rows={28} spellcheck={false} value={source}
                aria-invalid={errors.length > 0} aria-describedby={errors.length > 0 ? 'policy-errors-title' : undefined}
                onInput={(e) => { setText(e.currentTarget.value); setDone(''); }} />
            </div>
            {errors.length > 0 && (
              <section class="policy-errors" aria-labelledby="policy-errors-title" role="alert">
                <h3 id="policy-errors-title">Not saved: {errors.length === 1 ? 'one problem' : `${errors.length} problems`}</h3>
                <p class="hint">The running matrix is unchanged.</p>
                <ol>
                  {errors.map((e, i) => (
                    <li key={i}>
                      {e.line !== undefined
                        ? <button type="button" class="link-button" onClick={() => selectLine(e.line!)}>Line {e.line}</button>
                        : <strong>{e.field ?? 'Policy'}</strong>}
                      {': '}{e.message}
                    </li>
                  ))}
                </ol>
              </section>
            )}
          </div>
          {errors.length === 0 && <ErrorMessage error={error} />}
          <div class="composer-actions">
            <button type="submit" class="button primary" disabled={busy || source === policy.data.source}>
              {busy ? 'Checking…' : 'Check and save'}
            </button>
            <button type="button" class="button secondary" disabled={busy || source === policy.data.source}
              onClick={() => { setText(policy.data!.source); setError(null); }}>
              Undo my changes
            </button>
            <span class="composer-status" role="status">{done}</span>
          </div>
        </form>
      )}
    </div>
  );
}
