import type { HookRunner, HookSet } from '../hooks/hook-runner.js';
import type { PostgresInstances } from '../postgres/instances.js';

/** What a hook run needs to know about the freshly ingested source. */
export interface HookTarget {
  templateId: string;
  sourceId: string;
  sourceName: string | null;
  dataDir: string;
  database: string;
  roleHint: string | null;
}

// Hook servers listen on a socket only (listen_addresses ''), so their port numbers merely name
// the socket; a counter keeps two ingests of this process from sharing one.
let nextPort = 40000;
const portForRun = () => (nextPort = nextPort >= 49999 ? 40000 : nextPort + 1);

/**
 * Runs the afterIngest hooks (SQL, then shell) on a source's data directory before it is
 * snapshotted, so no version (and no clone) ever holds what they remove: a private server,
 * the hooks, CHECKPOINT, stop. Appends their output to `log`.
 */
export async function runIngestHooks(
  instances: PostgresInstances,
  runner: HookRunner,
  target: HookTarget,
  hooks: HookSet,
  log: string[],
): Promise<void> {
  const port = portForRun();
  const spec = {
    containerId: `template-${target.templateId}`,
    sourceId: target.sourceId,
    dataDir: target.dataDir,
    port,
    roleHint: target.roleHint,
  };
  await instances.serve(spec);
  try {
    const server = { ...target, port };
    await runner.run(instances, server, hooks, { kind: 'afterIngest', ...target }, log);
    await instances.checkpoint(port, target.roleHint);
  } finally {
    await instances.stop(target.dataDir);
  }
}
