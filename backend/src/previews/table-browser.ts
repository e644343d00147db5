import type { SourceKind } from '@branchpoint/contracts';
import { withEngineSession } from './engine-session.js';
import { firstMariadbRows, listMariadbTables } from './mariadb-reader.js';
import { firstRows, listTables, type SessionTarget } from './preview-reader.js';

/** What a preview's table browser reads from a server, whatever its engine. */
export interface TableBrowser {
  listTables(): Promise<{ name: string; rows: number; estimated: boolean }[]>;
  firstRows(name: string, limit: number): Promise<{ columns: string[]; rows: unknown[][] } | null>;
}

/** Runs `work` with a browser of the server at `target`, in one session of its engine. */
export function browse<T>(
  kind: SourceKind,
  target: SessionTarget,
  work: (browser: TableBrowser) => Promise<T>,
): Promise<T> {
  return withEngineSession(kind, target, {
    postgres: (client) =>
      work({
        listTables: () => listTables(client),
        firstRows: (name, limit) => firstRows(client, name, limit),
      }),
    mariadb: (session) =>
      work({
        listTables: () => listMariadbTables(session),
        firstRows: (name, limit) => firstMariadbRows(session, name, limit),
      }),
  });
}
