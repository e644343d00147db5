import { hasHooks, type HookSet } from '../../hooks/hook-set.js';
import type { HookRunner } from './hook-runner.js';
import type { OsIdentity } from '../../identity/os-identity.js';
import { superusersOf, type PostgresInstances, type ServerSpec } from './instances.js';
import { sanitizeRoles } from './clone-roles.js';
import { resetWal, scrubDatabases, vacuumRoles } from './scrub.js';

/** What preparing needs to know about the freshly ingested source. */
export interface PrepareTarget {
  templateId: string;
  sourceId: string;
  sourceName: string | null;
  dataDir: string;
  database: string;
  roleHint: string | null;
  identity: OsIdentity;
}

// Ingest servers listen on a socket only (listen_addresses ''), so their port numbers merely
// name the socket; a counter keeps two ingests of this process from sharing one.
let nextPort = 40000;
const portForRun = () => (nextPort = nextPort >= 49999 ? 40000 : nextPort + 1);

/**
 * Makes a source's copy fit to be a template version, before it is snapshotted, so no version
 * (and no clone) ever holds what this removes: on a private socket-only server run as the
 * template's identity, the afterIngest hooks (masking), then the roles of production lose
 * LOGIN, attributes and passwords and the owner role takes over their objects; with hooks, every
 * table is rewritten so no old row version survives; then a clean stop and fresh WAL (old WAL
 * holds old page images). Appends the hooks' output to `log`; answers the bootstrap superuser.
 */
export async function prepareVersion(
  instances: PostgresInstances,
  runner: HookRunner,
  target: PrepareTarget,
  hooks: HookSet,
  log: string[],
  pgBin: string,
): Promise<string> {
  const server: ServerSpec = {
    containerId: `template-${target.templateId}`,
    sourceId: target.sourceId,
    dataDir: target.dataDir,
    port: portForRun(),
    identity: target.identity,
    superusers: superusersOf({ superuser: null, roleHint: target.roleHint }),
    loginRoles: [],
  };
  await instances.serve(server);
  let superuser: string;
  try {
    if (hasHooks(hooks))
      await runner.run(
        instances,
        { ...server, database: target.database, sourceName: target.sourceName },
        hooks,
        { kind: 'afterIngest', templateId: target.templateId },
        log,
      );
    const connect = (database?: string) => instances.superuserClient(server, database);
    const first = await connect();
    try {
      // It may demote the role of this session: later sessions log in as the bootstrap superuser.
      superuser = (await sanitizeRoles(first, connect)).bootstrap;
    } finally {
      await first.end();
    }
    // The session's role may be demoted now: from here on the agent logs in as the bootstrap superuser.
    if (server.superusers[0] !== superuser) await instances.admitSuperuser(server, superuser);
    if (hasHooks(hooks)) await scrubDatabases(connect);
    const client = await connect();
    try {
      await vacuumRoles(client, connect);
      await client.query('CHECKPOINT');
    } finally {
      await client.end();
    }
  } finally {
    await instances.stop(target.dataDir);
  }
  await resetWal(pgBin, target.dataDir, target.identity);
  return superuser;
}
