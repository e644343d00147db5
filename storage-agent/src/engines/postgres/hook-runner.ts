import type { ShellHookEnvironment } from '@branchpoint/contracts';
import type pg from 'pg';
import { AgentFailure } from '../../common/agent-failure.js';
import type { PostgresInstances, ServerAddress } from './instances.js';
import { clip, type HookFailure } from '../../hooks/hook-log.js';
import type { HookMoment, HookSet } from '../../hooks/hook-set.js';
import { runStatements } from '../../hooks/run-statements.js';
import { runShell } from '../../hooks/shell-hook.js';

/** The running server a hook set is for. */
export interface HookServer extends ServerAddress {
  database: string;
  sourceId: string;
  /** The display name the control plane gave the source, if any. */
  sourceName: string | null;
}

const FAILURE: Record<HookMoment['kind'], HookFailure> = {
  afterIngest: { status: 422, code: 'ingest-failed' },
  afterStart: { status: 500, code: 'instance-failed' },
};

/** Runs template hooks on a running server: the SQL in one transaction, then the shell script. */
export class HookRunner {
  constructor(
    private readonly pgBin: string,
    private readonly timeoutMs: number,
  ) {}

  /** Appends the hooks' output to `log`; throws a typed failure that names the failing hook. */
  async run(
    instances: PostgresInstances,
    server: HookServer,
    hooks: HookSet,
    moment: HookMoment,
    log: string[],
  ): Promise<void> {
    const label = server.sourceName ?? server.sourceId;
    const failure = FAILURE[moment.kind];
    const client = await instances.superuserClient(server, server.database);
    try {
      if (hooks.sql.length > 0)
        await withNotices(client, label, log, () =>
          runStatements(
            {
              query: async (statement) => {
                const result = await client.query(statement);
                return { command: result.command ?? null, rowCount: result.rowCount };
              },
            },
            hooks.sql,
            { label, hook: moment.kind, failure },
            log,
          ),
        );
    } finally {
      await client.end();
    }
    const script = hooks.shell;
    if (!script) return;
    const hook = `${moment.kind}Shell`;
    // The script runs as the tenant's identity and logs in with a password made for this run.
    const result = await instances.withHookRole(server, (login) => {
      const env: Record<ShellHookEnvironment, string | undefined> = {
        PGHOST: instances.socketDir(server.port),
        PGPORT: String(server.port),
        PGUSER: login.user,
        PGPASSWORD: login.password,
        PGDATABASE: server.database,
        BP_SOURCE_ID: server.sourceId,
        BP_SOURCE_NAME: label,
        BP_TEMPLATE_ID: moment.kind === 'afterIngest' ? moment.templateId : undefined,
        BP_CONTAINER_ID: moment.kind === 'afterStart' ? moment.containerId : undefined,
      };
      return runShell({
        script,
        env: Object.fromEntries(
          Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]),
        ),
        pathPrefix: this.pgBin,
        timeoutMs: this.timeoutMs,
        identity: server.identity,
      });
    });
    log.push(...result.output.map((line) => clip(`${label}: ${hook}: ${line}`)));
    if (result.exitCode === 0) return;
    const why = result.timedOut
      ? `timed out after ${this.timeoutMs} ms`
      : result.exitCode === null
        ? 'was killed by a signal'
        : `exited with code ${result.exitCode}`;
    throw new AgentFailure(failure.status, failure.code, `${hook} hook on source ${label} ${why}`);
  }
}

/** Logs the server's notices (RAISE NOTICE in a hook) while `work` runs, prefixed with `label`. */
async function withNotices<T>(
  client: pg.Client,
  label: string,
  log: string[],
  work: () => Promise<T>,
): Promise<T> {
  const onNotice = (notice: { message?: string }) =>
    log.push(clip(`${label}: NOTICE ${notice.message ?? ''}`));
  client.on('notice', onNotice);
  try {
    return await work();
  } finally {
    client.off('notice', onNotice);
  }
}
