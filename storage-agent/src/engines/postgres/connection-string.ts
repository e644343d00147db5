/** What the agent needs from a source connection string. */
export interface SourceConnection {
  /** The connection string to hand to pg_basebackup, without the password when it could be split off. */
  conninfo: string;
  /** Passed through PGPASSWORD so it never shows in a process list. */
  password: string | null;
  database: string;
  user: string | null;
}

/** Parses a `postgres://` URL or a `key=value` conninfo string. */
export function parseConnectionString(value: string): SourceConnection {
  if (/^postgres(ql)?:\/\//.test(value)) {
    const url = new URL(value);
    const password = url.password ? decodeURIComponent(url.password) : null;
    url.password = '';
    const user = url.username ? decodeURIComponent(url.username) : null;
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user || 'postgres';
    return { conninfo: url.toString(), password, database, user };
  }
  const pairs = new Map<string, string>();
  for (const match of value.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) {
    const raw = match[2] ?? '';
    pairs.set(match[1] ?? '', raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  if (pairs.size === 0)
    throw new Error('connectionString is neither a postgres:// URL nor key=value pairs');
  const user = pairs.get('user') ?? null;
  return {
    conninfo: value,
    password: null,
    database: pairs.get('dbname') ?? user ?? 'postgres',
    user,
  };
}
