import { describe, expect, it } from 'vitest';
import { optional, parseRows, parseSize } from './zfs.parse.js';

describe('zfs output parsing', () => {
  it('splits -H rows on tabs', () => {
    expect(parseRows('a\tfilesystem\t-\nb@s\tsnapshot\ta@x\n')).toEqual([
      ['a', 'filesystem', '-'],
      ['b@s', 'snapshot', 'a@x'],
    ]);
  });

  it('reads - as no value', () => {
    expect(optional('-')).toBeNull();
    expect(optional('tank/a@v1')).toBe('tank/a@v1');
  });

  it.each([
    ['123456', 123456],
    ['568K', 568 * 1024],
    ['1.98G', Math.round(1.98 * 1024 ** 3)],
    ['19.9G', Math.round(19.9 * 1024 ** 3)],
    ['-', 0],
  ])('parses size %s', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('refuses garbage sizes', () => {
    expect(() => parseSize('12 apples')).toThrow(/unparseable/);
  });
});
