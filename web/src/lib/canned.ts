// Canned replies in the composer: which one a typed filter picks, when "/" in the text
// asks for the picker, and filling a reply's {{placeholders}} from the case at hand.

export interface CannedReply {
  id: number;
  title: string;
  body: string;
  updated_at: string;
}

/** What the composer knows about the case it writes to; missing values stay visible. */
export interface PlaceholderValues {
  'customer.name'?: string;
  'customer.email'?: string;
  'case.id'?: string;
  'case.subject'?: string;
  'agent.name'?: string;
}

/**
 * Replaces every {{name}} (spaces inside the braces allowed) with its value. An unknown or
 * missing one is left as it is, so the agent sees it before sending instead of a blank.
 */
export function fillPlaceholders(body: string, values: PlaceholderValues): string {
  return body.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (whole, name: string) => {
    const value = (values as Record<string, string | undefined>)[name];
    return value === undefined || value === '' ? whole : value;
  });
}

/** True when `body` still holds a {{placeholder}} after filling. */
export function hasUnfilled(body: string): boolean {
  return /\{\{\s*[a-z]+\.[a-z]+\s*\}\}/.test(body);
}

/**
 * Replies whose title holds every word of `query` (case-insensitive), titles starting with
 * the query first, then in the given (title) order.
 */
export function filterCanned(items: CannedReply[], query: string): CannedReply[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const q = query.trim().toLowerCase();
  const matching = items.filter((item) => {
    const title = item.title.toLowerCase();
    return words.every((w) => title.includes(w));
  });
  const starts = matching.filter((item) => q !== '' && item.title.toLowerCase().startsWith(q));
  return [...starts, ...matching.filter((item) => !starts.includes(item))];
}

/** A "/filter" being typed right before the caret: where it starts and what it says. */
export interface SlashQuery {
  start: number;
  query: string;
}

/**
 * The slash command before the caret, if any: a "/" at the start of the text or after
 * whitespace, followed by up to 40 characters without a line break or another "/". A
 * slash inside a word or a URL ("and/or", "https://") is not a command.
 */
export function slashQueryAt(text: string, caret: number): SlashQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([^\n/]{0,40})$/.exec(before);
  if (!match) return null;
  const start = before.length - match[2].length - 1;
  return { start, query: match[2] };
}

/** The text with the "/query" at `slash` replaced by `insert`, and the caret after it. */
export function insertAtSlash(text: string, slash: SlashQuery, caret: number, insert: string): { text: string; caret: number } {
  const next = text.slice(0, slash.start) + insert + text.slice(caret);
  return { text: next, caret: slash.start + insert.length };
}
