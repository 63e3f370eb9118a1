// The agent's view of a customer: their cases split into open and past, newest first.
import type { Case } from '../api/types';

/** Cases still needing work (not solved or closed). */
export function isOpenCase(kase: Case): boolean {
  return kase.status !== 'solved' && kase.status !== 'closed';
}

/** The customer's other cases, open ones and past ones, each newest activity first. */
export function splitCases(cases: Case[], currentId: number): { open: Case[]; past: Case[] } {
  const others = cases.filter((c) => c.id !== currentId)
    .sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id - a.id);
  return { open: others.filter(isOpenCase), past: others.filter((c) => !isOpenCase(c)) };
}
