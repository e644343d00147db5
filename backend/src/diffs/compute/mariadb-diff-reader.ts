import type { Connection as CoreConnection } from 'mysql2';
import type mysql from 'mysql2/promise';
import { jsonValue } from '../../previews/preview-reader.js';
import type { Checkpoint, DiffReader } from './diff-reader.js';
import { readMariadbCatalog } from './mariadb-catalog.js';
import type { HashCount, KeyedRow } from './row-merge.js';

const BATCH = 2000;

/**
 * A compare side on a MariaDB server: `JSON_ARRAY(…)` texts as keys, their MD5 as hashes, rows
 * streamed from the server (mysql2 pauses reading while the merge waits) in binary order.
 */
export function mariadbDiffReader(session: mysql.Connection): DiffReader {
  const table = (name: string) => {
    const dot = name.indexOf('.');
    return `${session.escapeId(name.slice(0, dot))}.${session.escapeId(name.slice(dot + 1))}`;
  };
  const json = (columns: string[]) =>
    `JSON_ARRAY(${columns.map((column) => session.escapeId(column)).join(', ')})`;
  return {
    // A statement may run as long as the compare's own budget allows.
    prepare: async () => void (await session.query('SET SESSION max_statement_time = 0')),
    catalog: () => readMariadbCatalog(session),
    countRows: async (name) => {
      const [rows] = await session.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM ${table(name)}`,
      );
      return Number(rows[0]?.['n'] ?? 0);
    },
    keyedRows: (name, key, columns, checkpoint) =>
      stream<KeyedRow>(
        session,
        `SELECT CAST(${json(key)} AS CHAR) AS \`key\`, MD5(${json(columns)}) AS hash FROM ${table(name)}
          ORDER BY CAST(${json(key)} AS BINARY)`,
        // As text: mysql2 would parse a JSON value into an array.
        (row) => ({ key: String(row['key']), hash: String(row['hash']) }),
        checkpoint,
      ),
    hashedRows: (name, columns, checkpoint) =>
      stream<HashCount>(
        session,
        `SELECT MD5(${json(columns)}) AS hash, COUNT(*) AS n FROM ${table(name)}
          GROUP BY 1 ORDER BY 1`,
        (row) => ({ hash: String(row['hash']), count: Number(row['n']) }),
        checkpoint,
      ),
    rowByKey: async (name, key, keyText) => {
      const [rows] = await session.query<mysql.RowDataPacket[]>(
        `SELECT * FROM ${table(name)} WHERE ${json(key)} = ? LIMIT 1`,
        [keyText],
      );
      const row = rows[0];
      return row
        ? Object.fromEntries(
            Object.entries(row).map(([column, value]) => [column, jsonValue(value)]),
          )
        : null;
    },
  };
}

/** The rows of `sql` as the server sends them, `checkpoint` between batches. */
async function* stream<R>(
  session: mysql.Connection,
  sql: string,
  shape: (row: Record<string, unknown>) => R,
  checkpoint: Checkpoint,
): AsyncIterable<R> {
  // The promise API has no streams; its session wraps the callback one, which has.
  const core = (session as unknown as { connection: CoreConnection }).connection;
  const rows = core.query(sql).stream({ highWaterMark: BATCH });
  let count = 0;
  try {
    for await (const row of rows) {
      if (count++ % BATCH === 0) await checkpoint();
      yield shape(row as Record<string, unknown>);
    }
  } finally {
    rows.destroy();
  }
}
