import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { lineRange, policyErrors } from './policy-errors';

describe('policyErrors', () => {
  it('reads the line-numbered errors of a 422, in line order', () => {
    const error = new ApiError(422, 'invalid-argument', {
      type: 'https://redress.dev/problems/invalid-argument', title: 'Invalid', status: 422,
      errors: [{ line: 12, message: 'unknown key' }, { message: 'no levels' }, { line: 3, message: 'bad hours' }],
    }, 'x');
    expect(policyErrors(error).map((e) => e.line)).toEqual([3, 12, undefined]);
  });

  it('has none for other errors', () => {
    expect(policyErrors(new ApiError(500, 'internal', null, 'x'))).toEqual([]);
    expect(policyErrors(new Error('x'))).toEqual([]);
  });
});

describe('lineRange', () => {
  const text = 'first\nsecond\n\nfourth';
  it('finds a line by its number', () => {
    expect(lineRange(text, 1)).toEqual([0, 5]);
    expect(text.slice(...lineRange(text, 2))).toBe('second');
    expect(lineRange(text, 3)).toEqual([13, 13]);
    expect(text.slice(...lineRange(text, 4))).toBe('fourth');
  });
  it('clamps past the end to the last line', () => {
    expect(text.slice(...lineRange(text, 99))).toBe('fourth');
  });
});
