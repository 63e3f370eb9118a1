// Dates as the viewer reads them: in their own time zone and locale (Intl), from the API's
// RFC 3339 UTC timestamps with microseconds.

export interface DateOptions {
  /** IANA zone; the browser's own when omitted. Tests pin it. */
  timeZone?: string;
  locale?: string;
}

/** Parses `2026-11-23T09:05:00.000000Z`; sub-millisecond digits are dropped. */
export function parseTimestamp(iso: string): Date {
  const trimmed = iso.replace(/(\.\d{3})\d+/, '$1');
  const date = new Date(trimmed);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: ${iso}`);
  return date;
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "1 Dec 2026, 09:05" (the shape follows the locale). */
export function formatDateTime(iso: string, options: DateOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: options.timeZone,
  }).format(parseTimestamp(iso));
}

/** "09:05" */
export function formatTime(iso: string, options: DateOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, {
    timeStyle: 'short',
    timeZone: options.timeZone,
  }).format(parseTimestamp(iso));
}

/** "Tuesday, 1 December 2026": the heading of a day in the timeline. */
export function formatDay(iso: string, options: DateOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, {
    dateStyle: 'full',
    timeZone: options.timeZone,
  }).format(parseTimestamp(iso));
}

/** `2026-12-01` in the viewer's zone: events on the same calendar day share a key. */
export function dayKey(iso: string, options: DateOptions = {}): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric', month: '2-digit', day: '2-digit', timeZone: options.timeZone,
  }).formatToParts(parseTimestamp(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "in 2 hours", "now": for lists, beside the exact time in a tooltip. */
export function formatRelative(iso: string, now: Date, options: DateOptions = {}): string {
  const seconds = Math.round((parseTimestamp(iso).getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(options.locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}
