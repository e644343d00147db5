import type pg from 'pg';
import type { TableShape } from './catalog.js';
import {
  mergeHashed,
  mergeKeyed,
  type HashCount,
  type KeyedRow,
  type RowCounts,
} from './row-merge.js';

const BATCH = 2000;

/** A changed row: its key, and each common column whose value differs. */
export interface ChangedRow {
  key: Record<string, unknown>;
  columns: { name: string; from: unknown; to: unknown }[];
}

export interface TableRows extends RowCounts {
  /** `key`: matched by primary key; `hash`: no common key, rows compared as a multiset. */
  matchedBy: 'key' | 'hash' | 'table';
  changedRows: ChangedRow[];
}

/** Called between batches: throws to stop (cancelled, out of time). */
export type Checkpoint = () => Promise<void>;

/**
 * The data diff of one table between two servers. Rows are streamed in key order from server-side
 * cursors on both sides and merged, so no table is held in memory; at most `maxChangedRows`
 * changed rows are fetched again to show their columns.
 */
export async function diffTableRows(
  sides: { from: pg.Client; to: pg.Client },
  name: string,
  shapes: { from: TableShape | undefined; to: TableShape | undefined },
  options: { maxChangedRows: number; checkpoint: Checkpoint },
): Promise<TableRows> {
  const { from, to } = shapes;
  if (!from || !to) {
    const side = from ? sides.from : sides.to;
    const count = await countRows(side, name);
    return {
      matchedBy: 'table',
      added: from ? 0 : count,
      removed: from ? count : 0,
      changed: 0,
      changedRows: [],
    };
  }
  const common = [...from.columns.keys()].filter((column) => to.columns.has(column));
  const key =
    from.key &&
    to.key &&
    from.key.join() === to.key.join() &&
    from.key.every((k) => common.includes(k))
      ? from.key
      : null;
  if (!key) {
    const query = (client: pg.Client) =>
      sorted(
        `SELECT md5(${rowText(client, common)}) AS h, count(*)::int AS n FROM ${quotedTable(client, name)} GROUP BY 1`,
        's.h AS hash, s.n AS count',
        'h',
      );
    const counts = await mergeHashed(
      streamRows<HashCount>(sides.from, query(sides.from), options.checkpoint),
      streamRows<HashCount>(sides.to, query(sides.to), options.checkpoint),
    );
    return { matchedBy: 'hash', ...counts, changedRows: [] };
  }
  const query = (client: pg.Client) =>
    sorted(
      `SELECT ${rowText(client, key)} AS k, md5(${rowText(client, common)}) AS h FROM ${quotedTable(client, name)}`,
      's.k AS key, s.h AS hash',
      'k',
    );
  const changedKeys: string[] = [];
  const counts = await mergeKeyed(
    streamRows<KeyedRow>(sides.from, query(sides.from), options.checkpoint),
    streamRows<KeyedRow>(sides.to, query(sides.to), options.checkpoint),
    (changed) => {
      if (changedKeys.length < options.maxChangedRows) changedKeys.push(changed);
    },
  );
  const changedRows: ChangedRow[] = [];
  for (const changed of changedKeys) {
    const before = await rowByKey(sides.from, name, key, changed);
    const after = await rowByKey(sides.to, name, key, changed);
    if (!before || !after) continue;
    changedRows.push({
      key: Object.fromEntries(key.map((column) => [column, after[column]])),
      columns: common
        .filter((column) => JSON.stringify(before[column]) !== JSON.stringify(after[column]))
        .map((column) => ({ name: column, from: before[column], to: after[column] })),
    });
  }
  return { matchedBy: 'key', ...counts, changedRows };
}

/**
 * The rows of `inner` sorted by its text column `by` (`k`, or `h` without a key) in byte
 * order. `ORDER BY 1 COLLATE "C"` would sort by the constant 1: the collation needs a column.
 */
export function sorted(inner: string, columns: string, by: 'k' | 'h'): string {
  return `SELECT ${columns} FROM (${inner}) s ORDER BY s.${by} COLLATE "C"`;
}

/** `schema.table`, quoted. */
export function quotedTable(client: pg.Client, name: string): string {
  const dot = name.indexOf('.');
  return `${client.escapeIdentifier(name.slice(0, dot))}.${client.escapeIdentifier(name.slice(dot + 1))}`;
}

/** `row(a, b)::text`: the text of the columns, the same on both servers for the same values. */
export function rowText(client: pg.Client, columns: string[]): string {
  return `row(${columns.map((column) => client.escapeIdentifier(column)).join(', ')})::text`;
}

export async function countRows(client: pg.Client, name: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${quotedTable(client, name)}`,
  );
  return Number(rows[0]?.n ?? 0);
}

async function rowByKey(
  client: pg.Client,
  name: string,
  key: string[],
  keyText: string,
): Promise<Record<string, unknown> | null> {
  const { rows } = await client.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS row FROM ${quotedTable(client, name)} t WHERE ${rowText(client, key)} = $1`,
    [keyText],
  );
  return rows[0]?.row ?? null;
}

/** The rows of `query` from a server-side cursor, a batch at a time. */
export async function* streamRows<R>(
  client: pg.Client,
  query: string,
  checkpoint: Checkpoint,
): AsyncIterable<R> {
  const cursor = client.escapeIdentifier(`bp_diff_${Math.random().toString(36).slice(2)}`);
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${query}`);
    for (;;) {
      await checkpoint();
      const { rows } = await client.query(`FETCH ${BATCH} FROM ${cursor}`);
      for (const row of rows) yield row as R;
      if (rows.length < BATCH) break;
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}
