import type { SourceKind } from '@branchpoint/contracts';
import { withEngineSession } from '../../previews/engine-session.js';
import type { SessionTarget } from '../../previews/preview-reader.js';
import type { DiffReader } from './diff-reader.js';
import { mariadbDiffReader } from './mariadb-diff-reader.js';
import { postgresDiffReader } from './postgres-diff-reader.js';

/** Runs `work` with a compare side on the server at `target`, in one session of its engine. */
export function withDiffReader<T>(
  kind: SourceKind,
  target: SessionTarget,
  work: (reader: DiffReader) => Promise<T>,
): Promise<T> {
  return withEngineSession(kind, target, {
    postgres: (client) => work(postgresDiffReader(client)),
    mariadb: (session) => work(mariadbDiffReader(session)),
  });
}
