// Small pieces every page uses: errors in words, loading, not found, times, badges.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { errorSentence } from '../api/errors';
import { formatDateTime, formatRelative } from '../lib/dates';
import { priorityLabel, statusLabel } from '../lib/labels';
import { Link } from './router';

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <p>{errorSentence(error)}</p>
      {onRetry && (
        <button type="button" class="button secondary" onClick={onRetry}>Try again</button>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p class="loading" role="status">Loading {what}…</p>;
}

/** The page shown for a URL that names nothing this person may see. */
export function NotFound({ message, backHref, backLabel }: {
  message?: string;
  backHref: string;
  backLabel: string;
}) {
  return (
    <section class="not-found" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Not found</h1>
      <p>{message ?? 'There is nothing at this address. The link may be wrong or out of date.'}</p>
      <p><Link href={backHref}>{backLabel}</Link></p>
    </section>
  );
}

export function Time({ iso, relative = false }: { iso: string; relative?: boolean }) {
  const exact = formatDateTime(iso);
  return (
    <time dateTime={iso} title={exact}>
      {relative ? formatRelative(iso, new Date()) : exact}
    </time>
  );
}

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span class={`badge status-${status}`}>{label ?? statusLabel(status)}</span>;
}

export function PriorityBadge({ priority }: { priority: string }) {
  return <span class={`badge priority-${priority}`}>{priorityLabel(priority)}</span>;
}

export function Field({ id, label, hint, children }: {
  id: string;
  label: string;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}

/** "Download my record": the whole case as a JSON file, as the viewer may see it. */
export function RecordDownload({ href, caseNumber, label }: { href: string; caseNumber: number; label: string }) {
  return (
    <a class="button secondary small record-download" href={href} download={`case-${caseNumber}-record.json`}>
      {label}
    </a>
  );
}

/** Sets the document title, so tabs and screen readers name the page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Redress`;
  }, [title]);
}
