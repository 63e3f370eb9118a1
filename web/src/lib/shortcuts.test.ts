import { describe, expect, it } from 'vitest';
import { SHORTCUTS, moveSelection, shortcutFor } from './shortcuts';

const press = (key: string, target: unknown = null, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  shortcutFor({ key, target: target as EventTarget | null, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('SHORTCUTS', () => {
  it('gives every key one action', () => {
    const keys = SHORTCUTS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('shortcutFor', () => {
  it('maps the command keys', () => {
    expect(press('r')).toBe('reply');
    expect(press('n')).toBe('note');
    expect(press('j')).toBe('next');
    expect(press('k')).toBe('previous');
    expect(press('?')).toBe('help');
    expect(press('/')).toBe('canned');
    expect(press('t')).toBe('transfer');
    expect(press('p')).toBe('promise');
    expect(press('d')).toBe('decision');
    expect(press('e')).toBe('escalate');
    expect(press('c')).toBe('credit');
    expect(press('x')).toBeNull();
  });
  it('ignores keys typed into fields', () => {
    expect(press('r', { tagName: 'TEXTAREA' })).toBeNull();
    expect(press('j', { tagName: 'INPUT' })).toBeNull();
    expect(press('n', { tagName: 'DIV', isContentEditable: true })).toBeNull();
    expect(press('r', { tagName: 'BUTTON' })).toBe('reply');
  });
  it('leaves browser shortcuts alone', () => {
    expect(press('r', null, { ctrlKey: true })).toBeNull();
    expect(press('n', null, { metaKey: true })).toBeNull();
  });
});

describe('moveSelection', () => {
  it('starts at the first or last item and stops at the ends', () => {
    expect(moveSelection(-1, 3, 'next')).toBe(0);
    expect(moveSelection(-1, 3, 'previous')).toBe(2);
    expect(moveSelection(2, 3, 'next')).toBe(2);
    expect(moveSelection(0, 3, 'previous')).toBe(0);
    expect(moveSelection(0, 0, 'next')).toBe(-1);
  });
});
