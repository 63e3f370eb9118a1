// The escalation matrix editor's errors: the server answers a bad policy with 422 and
// `errors: [{line, message}]`; the editor lists them by line and can select a line.
import { ApiError } from '../api/errors';
import type { PolicyError } from '../api/types';

/** The line-numbered errors of a refused policy, in line order; [] for any other error. */
export function policyErrors(error: unknown): PolicyError[] {
  if (!(error instanceof ApiError) || error.status !== 422) return [];
  const errors = error.problem?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is PolicyError => typeof e === 'object' && e !== null && typeof e.message === 'string')
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}

/** Character offsets [start, end) of 1-based `line` in `text` (clamped to the last line). */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next === -1) break;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return [start, end === -1 ? text.length : end];
}

export function lineCount(text: string): number {
  return text.split('\n').length;
}
