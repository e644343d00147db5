import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface SourceDatabase {
  name: string;
  /** What a template source is registered with. */
  connectionString: string;
  /** Runs SQL in the source database. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  drop(): Promise<void>;
}

/**
 * Creates a database in BP_SOURCE_ADMIN_URL's cluster (the "production" PostgreSQL) and runs
 * `setupSql` in it, e.g. tables with rows. The name is unique per call.
 */
export async function createSourceDatabase(
  options: { prefix?: string; setupSql?: string } = {},
): Promise<SourceDatabase> {
  const adminUrl = process.env['BP_SOURCE_ADMIN_URL'];
  if (!adminUrl)
    throw new Error('BP_SOURCE_ADMIN_URL is not set: run eval "$(bash scripts/setup.sh)" first');
  const name = `${(options.prefix ?? 'src').replace(/[^a-z0-9_]/g, '')}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const connectionString = url.toString();
  if (options.setupSql)
    await withClient(connectionString, (client) => client.query(options.setupSql!));
  return {
    name,
    connectionString,
    query: (sql, params) => withClient(connectionString, (client) => client.query(sql, params)),
    drop: async () => {
      await withClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

/** Runs `work` with a connected client and always closes it (a clone: see withClone). */
export async function withClient<T>(
  connection: string | pg.ClientConfig,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(
    typeof connection === 'string' ? { connectionString: connection } : connection,
  );
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
