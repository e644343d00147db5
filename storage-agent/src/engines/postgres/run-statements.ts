import type pg from 'pg';
import { AgentFailure } from '../../common/agent-failure.js';
import { clip, type HookFailure } from '../../hooks/hook-log.js';

/**
 * Runs admin-defined SQL hooks in one transaction; appends to `log` a line per statement (command
 * and row count) and per notice, each prefixed with `label`. A failing statement rolls everything
 * back and fails as `failure` says, naming the statement.
 */
export async function runStatements(
  client: pg.Client,
  statements: string[],
  options: { label: string; hook: string; failure: HookFailure },
  log: string[],
): Promise<void> {
  const onNotice = (notice: { message?: string }) =>
    log.push(clip(`${options.label}: NOTICE ${notice.message ?? ''}`));
  client.on('notice', onNotice);
  try {
    await client.query('BEGIN');
    for (const [index, statement] of statements.entries()) {
      try {
        const result = await client.query(statement);
        const rows = result.rowCount === null ? '' : ` ${result.rowCount}`;
        log.push(clip(`${options.label}: hook ${index + 1}: ${result.command ?? 'OK'}${rows}`));
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new AgentFailure(
          options.failure.status,
          options.failure.code,
          clip(
            `${options.hook} hook ${index + 1} on source ${options.label} failed (${statement}): ${(error as Error).message}`,
          ),
        );
      }
    }
    await client.query('COMMIT');
  } finally {
    client.off('notice', onNotice);
  }
}
