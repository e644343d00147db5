import { AgentFailure } from '../common/agent-failure.js';
import { clip, type HookFailure } from './hook-log.js';

/** A session of an engine's client that runs one statement and tells what it did. */
export interface StatementSession {
  query(statement: string): Promise<{ command: string | null; rowCount: number | null }>;
}

/**
 * Runs admin-defined SQL hooks in one transaction; appends to `log` a line per statement (command
 * and row count), each prefixed with `label`. A failing statement rolls everything back (what the
 * engine can roll back: MariaDB commits DDL at once) and fails as `failure` says, naming it.
 */
export async function runStatements(
  session: StatementSession,
  statements: string[],
  options: { label: string; hook: string; failure: HookFailure },
  log: string[],
): Promise<void> {
  await session.query('BEGIN');
  for (const [index, statement] of statements.entries()) {
    try {
      const result = await session.query(statement);
      const rows = result.rowCount === null ? '' : ` ${result.rowCount}`;
      log.push(clip(`${options.label}: hook ${index + 1}: ${result.command ?? 'OK'}${rows}`));
    } catch (error) {
      await session.query('ROLLBACK').catch(() => undefined);
      throw new AgentFailure(
        options.failure.status,
        options.failure.code,
        clip(
          `${options.hook} hook ${index + 1} on source ${options.label} failed (${statement}): ${(error as Error).message}`,
        ),
      );
    }
  }
  await session.query('COMMIT');
}
