import { describe, expect, it } from 'vitest';
import { dayKey, formatDateTime, formatRelative, formatTime, parseTimestamp } from './dates';

const AT = '2026-11-30T23:30:00.123456Z';

describe('parseTimestamp', () => {
  it('reads the API microsecond format', () => {
    expect(parseTimestamp(AT).toISOString()).toBe('2026-11-30T23:30:00.123Z');
  });
  it('refuses what is not a timestamp', () => {
    expect(() => parseTimestamp('yesterday')).toThrow(RangeError);
  });
});

describe('formatting in the viewer time zone', () => {
  it('shows the same instant as a different day and hour in Kolkata and New York', () => {
    expect(formatDateTime(AT, { timeZone: 'Asia/Kolkata', locale: 'en-GB' })).toBe('1 Dec 2026, 05:00');
    expect(formatDateTime(AT, { timeZone: 'America/New_York', locale: 'en-US' })).toBe('Nov 30, 2026, 6:30 PM');
    expect(formatTime(AT, { timeZone: 'UTC', locale: 'en-GB' })).toBe('23:30');
  });

  it('groups by the calendar day of the viewer', () => {
    expect(dayKey(AT, { timeZone: 'UTC' })).toBe('2026-11-30');
    expect(dayKey(AT, { timeZone: 'Asia/Kolkata' })).toBe('2026-12-01');
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  it('says how long ago, in the largest whole unit', () => {
    expect(formatRelative(AT, now, { locale: 'en' })).toBe('30 minutes ago');
    expect(formatRelative('2026-11-29T00:00:00.000000Z', now, { locale: 'en' })).toBe('2 days ago');
    expect(formatRelative('2026-11-30T23:59:50.000000Z', now, { locale: 'en' })).toBe('now');
  });
  it('says how long until a future time', () => {
    expect(formatRelative('2026-12-01T03:00:00.000000Z', now, { locale: 'en' })).toBe('in 3 hours');
  });
});
