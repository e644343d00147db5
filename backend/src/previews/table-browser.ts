import type { SourceKind } from '@branchpoint/contracts';
import { firstMariadbRows, listMariadbTables, withMariadbSession } from './mariadb-reader.js';
import { firstRows, listTables, withSession, type SessionTarget } from './preview-reader.js';

/** What a preview's table browser reads from a server, whatever its engine. */
export interface TableBrowser {
  listTables(): Promise<{ name: string; rows: number; estimated: boolean }[]>;
  firstRows(name: string, limit: number): Promise<{ columns: string[]; rows: unknown[][] } | null>;
}

/** Engines whose servers the table browser reads (a directory serves no tables). */
export const BROWSABLE_KINDS: readonly SourceKind[] = ['postgres', 'mariadb'];

/** Runs `work` with a browser of the server at `target`, in one session of its engine. */
export function browse<T>(
  kind: SourceKind,
  target: SessionTarget,
  work: (browser: TableBrowser) => Promise<T>,
): Promise<T> {
  if (kind === 'mariadb')
    return withMariadbSession(target, (session) =>
      work({
        listTables: () => listMariadbTables(session),
        firstRows: (name, limit) => firstMariadbRows(session, name, limit),
      }),
    );
  return withSession(target, (client) =>
    work({
      listTables: () => listTables(client),
      firstRows: (name, limit) => firstRows(client, name, limit),
    }),
  );
}
