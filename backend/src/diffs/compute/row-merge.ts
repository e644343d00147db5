/** One row as both sides stream it: its key (text, in byte order) and the hash of its common columns. */
export interface KeyedRow {
  key: string;
  hash: string;
}

/** One group of equal rows of a table without a primary key: their hash and how many there are. */
export interface HashCount {
  hash: string;
  count: number;
}

export interface RowCounts {
  added: number;
  removed: number;
  changed: number;
}

/** Byte order of UTF-8, which is what `ORDER BY … COLLATE "C"` gives on both servers. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Merges two streams of rows sorted by key (byte order): rows only in `to` are added, only in
 * `from` removed, in both with another hash changed. Holds one row of each side at a time.
 * `onChanged` hears the keys of changed rows (the caller keeps as many as it shows).
 */
export async function mergeKeyed(
  from: AsyncIterable<KeyedRow>,
  to: AsyncIterable<KeyedRow>,
  onChanged: (key: string) => void,
): Promise<RowCounts> {
  const counts: RowCounts = { added: 0, removed: 0, changed: 0 };
  const left = from[Symbol.asyncIterator]();
  const right = to[Symbol.asyncIterator]();
  let a = await left.next();
  let b = await right.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : compareKeys(a.value.key, b.value.key);
    if (order < 0) {
      counts.removed++;
      a = await left.next();
    } else if (order > 0) {
      counts.added++;
      b = await right.next();
    } else {
      if (a.value!.hash !== b.value!.hash) {
        counts.changed++;
        onChanged(a.value!.key);
      }
      a = await left.next();
      b = await right.next();
    }
  }
  return counts;
}

/**
 * Tables without a primary key: rows are compared as a multiset of hashes (sorted by hash on
 * both sides). A changed row shows as one removed and one added: without a key there is no
 * telling them apart.
 */
export async function mergeHashed(
  from: AsyncIterable<HashCount>,
  to: AsyncIterable<HashCount>,
): Promise<RowCounts> {
  const counts: RowCounts = { added: 0, removed: 0, changed: 0 };
  const keyed = (groups: AsyncIterable<HashCount>) =>
    (async function* () {
      for await (const group of groups) yield { key: group.hash, hash: String(group.count) };
    })();
  const fromGroups = keyed(from)[Symbol.asyncIterator]();
  const toGroups = keyed(to)[Symbol.asyncIterator]();
  let a = await fromGroups.next();
  let b = await toGroups.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : compareKeys(a.value.key, b.value.key);
    const left = order <= 0 && !a.done ? Number(a.value.hash) : 0;
    const right = order >= 0 && !b.done ? Number(b.value.hash) : 0;
    if (right > left) counts.added += right - left;
    else counts.removed += left - right;
    if (order <= 0) a = await fromGroups.next();
    if (order >= 0) b = await toGroups.next();
  }
  return counts;
}
