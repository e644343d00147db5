import mysql from 'mysql2/promise';
import { EXACT_COUNT_BELOW, MAX_TABLES, jsonValue, type SessionTarget } from './preview-reader.js';

/** MariaDB's own databases: never a user's table. */
export const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];

/** Runs `work` in a session of a MariaDB clone server over verified TLS, and closes it. */
export async function withMariadbSession<T>(
  target: SessionTarget,
  work: (session: mysql.Connection) => Promise<T>,
): Promise<T> {
  const session = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    ...(target.database ? { database: target.database } : {}),
    ssl: { ca: target.ca, rejectUnauthorized: true },
    connectTimeout: 10_000,
    // Exact numbers, as JSON cannot hold a BIGINT or DECIMAL.
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  // A server that goes away under a session makes it emit `error`; the query fails with it.
  session.on('error', () => undefined);
  try {
    return await work(session);
  } finally {
    await session.end().catch(() => undefined);
  }
}

type Row = mysql.RowDataPacket;

/** The user tables, `database.table`, with exact row counts for small ones. */
export async function listMariadbTables(
  session: mysql.Connection,
): Promise<{ name: string; rows: number; estimated: boolean }[]> {
  const [found] = await session.query<Row[]>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, TABLE_ROWS AS estimate
       FROM information_schema.TABLES
      WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN (?)
      ORDER BY 1, 2 LIMIT ${MAX_TABLES}`,
    [SYSTEM_SCHEMAS],
  );
  const tables = [];
  for (const row of found) {
    const name = `${row['db']}.${row['tbl']}`;
    const estimate = Number(row['estimate'] ?? 0);
    if (estimate >= EXACT_COUNT_BELOW) {
      tables.push({ name, rows: estimate, estimated: true });
      continue;
    }
    const [counted] = await session.query<Row[]>(
      `SELECT COUNT(*) AS n FROM ${session.escapeId(String(row['db']))}.${session.escapeId(String(row['tbl']))}`,
    );
    tables.push({ name, rows: Number(counted[0]?.['n'] ?? 0), estimated: false });
  }
  return tables;
}

/** The first rows of a table named `database.table` in primary key order; null when there is no such table. */
export async function firstMariadbRows(
  session: mysql.Connection,
  name: string,
  limit: number,
): Promise<{ columns: string[]; rows: unknown[][] } | null> {
  const [found] = await session.query<Row[]>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl FROM information_schema.TABLES
      WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN (?)
        AND CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) = ?`,
    [SYSTEM_SCHEMAS, name],
  );
  const table = found[0];
  if (!table) return null;
  const [db, tbl] = [String(table['db']), String(table['tbl'])];
  const [key] = await session.query<Row[]>(
    `SELECT COLUMN_NAME AS col FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'
      ORDER BY ORDINAL_POSITION`,
    [db, tbl],
  );
  const order = key.length
    ? ` ORDER BY ${key.map((column) => session.escapeId(String(column['col']))).join(', ')}`
    : '';
  const [rows, fields] = await session.query<unknown[][] & Row[]>({
    sql: `SELECT * FROM ${session.escapeId(db)}.${session.escapeId(tbl)}${order} LIMIT ?`,
    values: [limit],
    rowsAsArray: true,
  });
  return {
    columns: fields.map((field) => field.name),
    rows: (rows as unknown as unknown[][]).map((row) => row.map(jsonValue)),
  };
}
