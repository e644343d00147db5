import type { SourceKind } from '@branchpoint/contracts';
import { withMariadbSession } from '../../previews/mariadb-reader.js';
import { withSession, type SessionTarget } from '../../previews/preview-reader.js';
import type { DiffReader } from './diff-reader.js';
import { mariadbDiffReader } from './mariadb-diff-reader.js';
import { postgresDiffReader } from './postgres-diff-reader.js';

/** Engines a compare reads (a directory has no rows). */
export const COMPARABLE_KINDS: readonly SourceKind[] = ['postgres', 'mariadb'];

/** Runs `work` with a compare side on the server at `target`, in one session of its engine. */
export function withDiffReader<T>(
  kind: SourceKind,
  target: SessionTarget,
  work: (reader: DiffReader) => Promise<T>,
): Promise<T> {
  if (kind === 'mariadb')
    return withMariadbSession(target, (session) => work(mariadbDiffReader(session)));
  return withSession(target, (client) => work(postgresDiffReader(client)));
}
