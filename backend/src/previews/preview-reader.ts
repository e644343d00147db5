import type { SourceKind } from '@branchpoint/contracts';
import pg from 'pg';

/** Tables counted exactly; larger ones show the planner's estimate (counting would take long). */
export const EXACT_COUNT_BELOW = 100_000;
export const MAX_TABLES = 500;
const MAX_TEXT = 1000;

export interface SessionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** PEM of the clone CA the server's certificate chains to. */
  ca: string;
}

/**
 * Where an endpoint's session goes; a PostgreSQL endpoint without a database name means
 * `postgres` (other engines: no database chosen).
 */
export function sessionTarget(
  endpoint: {
    kind?: SourceKind;
    host: string;
    port: number;
    database: string | null;
    username: string;
  },
  password: string,
  ca: string,
): SessionTarget {
  const { host, port, username: user } = endpoint;
  const fallback = (endpoint.kind ?? 'postgres') === 'postgres' ? 'postgres' : '';
  return { host, port, database: endpoint.database ?? fallback, user, password, ca };
}

/**
 * Runs `work` in a session of a clone server (a preview's reader, or a container's owner) over
 * verified TLS, and closes it.
 */
export async function withSession<T>(
  target: SessionTarget,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password,
    ssl: { ca: target.ca, rejectUnauthorized: true },
    connectionTimeoutMillis: 10_000,
    statement_timeout: 60_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const USER_TABLES = `
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'`;

/** The user tables, `schema.table`, with exact row counts for small ones. */
export async function listTables(
  client: pg.Client,
): Promise<{ name: string; rows: number; estimated: boolean }[]> {
  const { rows } = await client.query<{ schema: string; table: string; estimate: number }>(
    `SELECT n.nspname AS schema, c.relname AS table, c.reltuples::float8 AS estimate ${USER_TABLES}
      ORDER BY 1, 2 LIMIT ${MAX_TABLES}`,
  );
  const tables = [];
  for (const row of rows) {
    const name = `${row.schema}.${row.table}`;
    if (row.estimate >= EXACT_COUNT_BELOW) {
      tables.push({ name, rows: Math.round(row.estimate), estimated: true });
      continue;
    }
    const counted = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${client.escapeIdentifier(row.schema)}.${client.escapeIdentifier(row.table)}`,
    );
    tables.push({ name, rows: Number(counted.rows[0]?.n ?? 0), estimated: false });
  }
  return tables;
}

/** The first rows of a table named `schema.table` in primary key order; null when there is no such table. */
export async function firstRows(
  client: pg.Client,
  name: string,
  limit: number,
): Promise<{ columns: string[]; rows: unknown[][] } | null> {
  const found = await client.query<{ schema: string; table: string; key: string[] | null }>(
    `SELECT n.nspname AS schema, c.relname AS table,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid) AS key
     ${USER_TABLES} AND n.nspname || '.' || c.relname = $1`,
    [name],
  );
  const table = found.rows[0];
  if (!table) return null;
  const id = client.escapeIdentifier.bind(client);
  const order = table.key?.length ? ` ORDER BY ${table.key.map(id).join(', ')}` : '';
  const result = await client.query<unknown[]>({
    text: `SELECT * FROM ${id(table.schema)}.${id(table.table)}${order} LIMIT $1`,
    values: [limit],
    rowMode: 'array',
  });
  return {
    columns: result.fields.map((field) => field.name),
    rows: result.rows.map((row) => row.map(jsonValue)),
  };
}

/** A value as JSON shows it: long text cut, bytes as \x hex, dates as ISO. */
export function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.subarray(0, MAX_TEXT / 2).toString('hex')}`;
  if (typeof value === 'string' && value.length > MAX_TEXT) return `${value.slice(0, MAX_TEXT)}…`;
  return value;
}
