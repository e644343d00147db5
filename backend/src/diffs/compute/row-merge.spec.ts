import { describe, expect, it } from 'vitest';
import { compareKeys, mergeHashed, mergeKeyed, type KeyedRow } from './row-merge.js';

async function* stream<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

const rows = (...pairs: [string, string][]): KeyedRow[] =>
  pairs.map(([key, hash]) => ({ key, hash }));

describe('mergeKeyed', () => {
  it('counts added, removed and changed rows by key and names the changed ones', async () => {
    const changed: string[] = [];
    const counts = await mergeKeyed(
      stream(rows(['(1)', 'a'], ['(2)', 'b'], ['(3)', 'c'], ['(5)', 'e'])),
      stream(rows(['(2)', 'b'], ['(3)', 'C'], ['(4)', 'd'], ['(5)', 'E'], ['(6)', 'f'])),
      (key) => changed.push(key),
    );
    expect(counts).toEqual({ added: 2, removed: 1, changed: 2 });
    expect(changed).toEqual(['(3)', '(5)']);
  });

  it('handles empty sides', async () => {
    expect(await mergeKeyed(stream([]), stream(rows(['a', '1'])), () => undefined)).toEqual({
      added: 1,
      removed: 0,
      changed: 0,
    });
    expect(await mergeKeyed(stream(rows(['a', '1'])), stream([]), () => undefined)).toEqual({
      added: 0,
      removed: 1,
      changed: 0,
    });
    expect(await mergeKeyed(stream([]), stream([]), () => undefined)).toEqual({
      added: 0,
      removed: 0,
      changed: 0,
    });
  });

  it('orders keys by UTF-8 bytes, as COLLATE "C" does', () => {
    expect(compareKeys('B', 'a')).toBeLessThan(0);
    expect(compareKeys('z', 'é')).toBeLessThan(0);
    expect(compareKeys('(10)', '(9)')).toBeLessThan(0);
  });
});

describe('mergeHashed', () => {
  it('compares tables without a key as multisets of row hashes', async () => {
    const counts = await mergeHashed(
      stream([
        { hash: 'aa', count: 2 },
        { hash: 'bb', count: 1 },
        { hash: 'cc', count: 3 },
      ]),
      stream([
        { hash: 'aa', count: 1 },
        { hash: 'cc', count: 3 },
        { hash: 'dd', count: 2 },
      ]),
    );
    expect(counts).toEqual({ added: 2, removed: 2, changed: 0 });
  });
});
