import type { SourceKind, SourceSpec } from '@branchpoint/contracts';

/**
 * The engines the control plane knows, by name: what a source of each kind is registered with,
 * and how clients reach a clone of it. Everything else about an engine is the agent's.
 */
export const SOURCE_KINDS = ['postgres', 'mariadb', 'directory'] as const satisfies SourceKind[];

/** What is wrong with a source's connection string (or path) for its kind; null when fine. */
export function sourceLocationProblem(kind: SourceKind, value: string): string | null {
  switch (kind) {
    case 'postgres':
      return /^postgres(ql)?:\/\/\S+$/.test(value)
        ? null
        : 'connectionString of a postgres source must be a postgres:// URL';
    case 'mariadb':
      return mariadbUrlProblem(value);
    case 'directory':
      return /^\/[^\0]*$/.test(value) && !value.split('/').includes('..')
        ? null
        : 'path of a directory source must be an absolute path without ..';
  }
}

function mariadbUrlProblem(value: string): string | null {
  const shape = 'connectionString of a mariadb source must be mysql://user:password@host:port/db';
  if (!/^(mysql|mariadb):\/\/\S+$/.test(value)) return shape;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${shape} (it is not a valid URL)`;
  }
  if (!url.username) return `${shape} (it names no user)`;
  if (!url.hostname) return `${shape} (it names no host)`;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) return `${shape} (it names no database)`;
  return null;
}

/** A stored source as the agent's ingest wants it (a directory's location is its path). */
export function sourceSpec(source: {
  id: string;
  name: string;
  kind: SourceKind;
  connectionString: string;
}): SourceSpec {
  const { id, name, kind, connectionString } = source;
  return kind === 'directory'
    ? { id, name, kind, path: connectionString }
    : { id, name, kind, connectionString };
}

/** Where a clone server is, as an endpoint stores it. */
export interface ServedEndpoint {
  kind?: SourceKind;
  host: string;
  port: number | null;
  database: string | null;
  username: string | null;
  path?: string | null;
}

/**
 * How a client reaches a clone: a connection string with the password, and a command to paste
 * in a shell (it asks for the password). Clone servers speak TLS only.
 */
export function clientAccess(
  endpoint: ServedEndpoint,
  password: string,
): { connectionString: string; command: string | null } {
  const user = encodeURIComponent(endpoint.username ?? '');
  const secret = encodeURIComponent(password);
  const database = encodeURIComponent(endpoint.database ?? '');
  switch (endpoint.kind ?? 'postgres') {
    case 'mariadb':
      return {
        connectionString: `mysql://${user}:${secret}@${endpoint.host}:${endpoint.port ?? 3306}/${database}?ssl-mode=REQUIRED`,
        command: `mariadb -h ${endpoint.host} -P ${endpoint.port ?? 3306} -u ${endpoint.username ?? ''} -p --ssl ${endpoint.database ?? ''}`,
      };
    case 'directory':
      return { connectionString: endpoint.path ?? '', command: null };
    case 'postgres': {
      // verify-full with the CA of GET /containers/:id/ca-certificate is stronger.
      const pgUser = encodeURIComponent(endpoint.username ?? 'postgres');
      const pgDatabase = encodeURIComponent(endpoint.database ?? 'postgres');
      const base = `postgres://${pgUser}@${endpoint.host}:${endpoint.port ?? 5432}/${pgDatabase}?sslmode=require`;
      return {
        connectionString: `postgres://${pgUser}:${secret}@${endpoint.host}:${endpoint.port ?? 5432}/${pgDatabase}?sslmode=require`,
        command: `psql "${base}"`,
      };
    }
  }
}
