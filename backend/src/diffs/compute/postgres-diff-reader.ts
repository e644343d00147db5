import type pg from 'pg';
import { readCatalog } from './catalog.js';
import type { Checkpoint, DiffReader } from './diff-reader.js';

const BATCH = 2000;

/** A compare side on a PostgreSQL server: server-side cursors, `row(…)::text` keys, md5 hashes. */
export function postgresDiffReader(client: pg.Client): DiffReader {
  return {
    prepare: async () => void (await client.query('SET statement_timeout = 0')),
    catalog: () => readCatalog(client),
    countRows: (table) => countRows(client, table),
    keyedRows: (table, key, columns, checkpoint) =>
      streamRows(
        client,
        sorted(
          `SELECT ${rowText(client, key)} AS k, md5(${rowText(client, columns)}) AS h FROM ${quotedTable(client, table)}`,
          's.k AS key, s.h AS hash',
          'k',
        ),
        checkpoint,
      ),
    hashedRows: (table, columns, checkpoint) =>
      streamRows(
        client,
        sorted(
          `SELECT md5(${rowText(client, columns)}) AS h, count(*)::int AS n FROM ${quotedTable(client, table)} GROUP BY 1`,
          's.h AS hash, s.n AS count',
          'h',
        ),
        checkpoint,
      ),
    rowByKey: async (table, key, keyText) => {
      const { rows } = await client.query<{ row: Record<string, unknown> }>(
        `SELECT to_jsonb(t) AS row FROM ${quotedTable(client, table)} t WHERE ${rowText(client, key)} = $1`,
        [keyText],
      );
      return rows[0]?.row ?? null;
    },
  };
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
