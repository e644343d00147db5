import { compareKeys } from '../../diffs/compute/row-merge.js';

export type Row = Record<string, unknown>;

/** One row as a side streams it: its key text (`row(k)::text`, in byte order) and its values. */
export interface KeyedRow {
  key: string;
  row: Row;
}

/** What to do with one key of a table on the new branch, or why not. */
export type RowStep =
  | { op: 'insert'; key: string; row: Row }
  /** Set `columns` to their values in `row` (the branch's), on the row with the same key. */
  | { op: 'update'; key: string; row: Row; columns: string[] }
  | { op: 'delete'; key: string; row: Row }
  /** Changed by the branch and, otherwise, by the new version: not applied. */
  | { op: 'conflict'; key: string; branch: Row | null; template: Row | null };

/** A step that changes the new branch. */
export type RowChange = Exclude<RowStep, { op: 'conflict' }>;

export interface RowColumns {
  /** Columns of the table at the base point. */
  base: string[];
  /** Columns at the branch's head (those the branch added count as branch changes). */
  head: string[];
  /** Columns in the new version. */
  next: string[];
}

/**
 * The three-way merge of one table by primary key: `base` (the branch's base point), `head`
 * (the branch now) and `next` (the new version), each sorted by key in byte order. A key the
 * branch changed is replayed unless the new version changed it too, and differently: then it is
 * a conflict. Values in columns only the branch has (it added them) are carried as updates.
 * Holds one row of each side at a time.
 */
export async function* planRows(
  sides: {
    base: AsyncIterable<KeyedRow> | Iterable<KeyedRow>;
    head: AsyncIterable<KeyedRow> | Iterable<KeyedRow>;
    next: AsyncIterable<KeyedRow> | Iterable<KeyedRow>;
  },
  columns: RowColumns,
): AsyncGenerator<RowStep> {
  const shared = (a: string[], b: string[]) => a.filter((column) => b.includes(column));
  const branchShared = shared(columns.head, columns.base);
  const branchOwn = columns.head.filter((column) => !columns.base.includes(column));
  const templateShared = shared(columns.next, columns.base);
  const headNext = shared(columns.head, columns.next);
  const base = cursor(sides.base);
  const head = cursor(sides.head);
  const next = cursor(sides.next);
  let [b, h, n] = [await base.next(), await head.next(), await next.next()];
  while (b || h || n) {
    const key = [b, h, n]
      .filter((side): side is KeyedRow => side !== null)
      .map((side) => side.key)
      .reduce((low, candidate) => (compareKeys(candidate, low) < 0 ? candidate : low));
    const at = (side: KeyedRow | null) => (side && side.key === key ? side.row : null);
    const [was, now, theirs] = [at(b), at(h), at(n)];
    if (was) b = await base.next();
    if (now) h = await head.next();
    if (theirs) n = await next.next();
    const step = decide(key, was, now, theirs);
    if (step) yield step;
  }

  function decide(
    key: string,
    was: Row | null,
    now: Row | null,
    theirs: Row | null,
  ): RowStep | null {
    const changedColumns =
      was && now ? branchShared.filter((column) => !sameValue(was[column], now[column])) : [];
    const branchChanged = !was !== !now || changedColumns.length > 0;
    const ownValues = now ? branchOwn.filter((column) => now[column] != null) : [];
    if (!branchChanged && ownValues.length === 0) return null;
    const templateChanged = !sameRow(was, theirs, templateShared);
    if (branchChanged && templateChanged) {
      if (sameRow(now, theirs, headNext)) return null;
      return { op: 'conflict', key, branch: now, template: theirs };
    }
    if (!now) return { op: 'delete', key, row: was! };
    if (!was) return { op: 'insert', key, row: now };
    // Only values in the branch's own columns: nothing to carry where the new version has no row.
    if (!theirs) return null;
    return { op: 'update', key, row: now, columns: [...changedColumns, ...ownValues] };
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function sameRow(a: Row | null, b: Row | null, columns: string[]): boolean {
  if (!a || !b) return !a && !b;
  return columns.every((column) => sameValue(a[column], b[column]));
}

function cursor(rows: AsyncIterable<KeyedRow> | Iterable<KeyedRow>) {
  const iterator =
    Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
  return {
    async next(): Promise<KeyedRow | null> {
      const result = await iterator.next();
      return result.done ? null : result.value;
    },
  };
}
