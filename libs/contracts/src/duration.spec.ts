import { describe, expect, it } from 'vitest';
import { formatDuration, InvalidDurationError, isDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    [' 2H ', 7_200_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(isDuration(text)).toBe(true);
  });

  it.each(['', '2', 'h', '2 h', '-2h', '1.5h', '2hours', '0m', '0h0m', '99999999999999w'])(
    'rejects "%s" naming the text',
    (text) => {
      expect(() => parseDuration(text)).toThrow(InvalidDurationError);
      expect(() => parseDuration(text)).toThrow(`invalid duration "${text}"`);
      expect(isDuration(text)).toBe(false);
    },
  );

  it('says why: no unit, zero, too long', () => {
    expect(() => parseDuration('2')).toThrow(/use a number and a unit .* e\.g\. 30m, 2h, 7d/);
    expect(() => parseDuration('0m')).toThrow(/longer than zero/);
    expect(() => parseDuration('5300w')).toThrow(/too long/);
  });
});

describe('formatDuration', () => {
  it.each([
    [86_400_000, '1d'],
    [604_800_000, '1w'],
    [5_400_000, '1h30m'],
    [30_000, '30s'],
    [1_209_600_000 + 3_600_000, '2w1h'],
  ])('writes %i ms as %s, which reads back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  it('refuses less than a second', () => {
    expect(() => formatDuration(999)).toThrow(RangeError);
  });
});
