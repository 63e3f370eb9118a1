// Keyboard shortcuts: which key means what, and when a key press is typing rather than a
// command (inside a text field, or with a modifier held).

export type ShortcutAction = 'reply' | 'note' | 'next' | 'previous' | 'open' | 'help' | 'back' | 'assign' | 'canned'
  | 'transfer' | 'promise' | 'decision' | 'escalate' | 'credit';

export const SHORTCUTS: { key: string; action: ShortcutAction; description: string }[] = [
  { key: 'j', action: 'next', description: 'Next case in the list' },
  { key: 'k', action: 'previous', description: 'Previous case in the list' },
  { key: 'Enter', action: 'open', description: 'Open the selected case' },
  { key: 'r', action: 'reply', description: 'Write a public reply to the customer' },
  { key: 'n', action: 'note', description: 'Write an internal note' },
  { key: 'a', action: 'assign', description: 'Assign or transfer the case' },
  { key: '/', action: 'canned', description: 'Insert a canned reply into the reply' },
  { key: 't', action: 'transfer', description: 'Transfer to a colleague (reason and hand-off note)' },
  { key: 'p', action: 'promise', description: 'Make a promise to the customer' },
  { key: 'd', action: 'decision', description: 'Record a decision' },
  { key: 'e', action: 'escalate', description: 'Escalate the case' },
  { key: 'c', action: 'credit', description: 'Give goodwill credit' },
  { key: 'u', action: 'back', description: 'Back to the queue' },
  { key: '?', action: 'help', description: 'Show these shortcuts' },
];

/** Keys handled inside a field rather than by shortcutFor, listed in the help. */
export const FIELD_SHORTCUTS: { key: string; description: string }[] = [
  { key: 'Ctrl+Enter', description: 'Send the reply or note you are writing' },
  { key: '/ + title', description: 'In the reply box: pick a canned reply by its title (↑ ↓, Enter)' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const element = target as HTMLElement;
  const tag = element.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || element.isContentEditable === true;
}

/** The action a key press asks for, or null when it is typing or not a shortcut. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTyping(event.target)) return null;
  return SHORTCUTS.find((s) => s.key === event.key)?.action ?? null;
}

/** Moves a selection index through a list of `length` items, clamped at both ends. */
export function moveSelection(index: number, length: number, action: 'next' | 'previous'): number {
  if (length === 0) return -1;
  if (index < 0) return action === 'next' ? 0 : length - 1;
  const next = action === 'next' ? index + 1 : index - 1;
  return Math.min(length - 1, Math.max(0, next));
}
