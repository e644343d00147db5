import type { SourceKind } from '@branchpoint/contracts';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { withMariadbSession } from './mariadb-reader.js';
import { withSession, type SessionTarget } from './preview-reader.js';

/** Engines whose servers a session reads (a directory source serves none). */
export const SESSION_KINDS: readonly SourceKind[] = ['postgres', 'mariadb'];

/** Runs the engine's part of `work` in one session of the server at `target`, over verified TLS. */
export function withEngineSession<T>(
  kind: SourceKind,
  target: SessionTarget,
  work: {
    postgres: (client: pg.Client) => Promise<T>;
    mariadb: (session: mysql.Connection) => Promise<T>;
  },
): Promise<T> {
  return kind === 'mariadb'
    ? withMariadbSession(target, work.mariadb)
    : withSession(target, work.postgres);
}
