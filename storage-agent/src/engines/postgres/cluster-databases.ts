import type pg from 'pg';

/** Opens a superuser session to one database of a server (its default database when none is named). */
export type ConnectDatabase = (database?: string) => Promise<pg.Client>;

/**
 * The databases of a cluster that accept connections: not template0 or another with datallowconn
 * false, nor one a DROP DATABASE left invalid when it was interrupted (datconnlimit -2; it may
 * also be mid-drop on the source while the copy is taken). PostgreSQL refuses sessions to those.
 */
export async function connectableDatabases(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datallowconn AND datconnlimit <> -2 ORDER BY datname',
  );
  return rows.map((row) => row.datname);
}

/** Runs `work` in a session of each database in turn, closing every session it opened. */
export async function inEachDatabase(
  connect: ConnectDatabase,
  databases: string[],
  work: (client: pg.Client, database: string) => Promise<void>,
): Promise<void> {
  for (const database of databases) {
    const client = await connect(database);
    try {
      await work(client, database);
    } finally {
      await client.end();
    }
  }
}
