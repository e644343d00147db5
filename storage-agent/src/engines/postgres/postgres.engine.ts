import { chmod, chown, rm } from 'node:fs/promises';
import { AgentFailure } from '../../common/agent-failure.js';
import { runAfterStartHooks } from '../../hooks/hook-log.js';
import { hasHooks, type HookSet } from '../../hooks/hook-set.js';
import type { HookRunner } from './hook-runner.js';
import { ensureOwnedBy } from '../../identity/ownership.js';
import type {
  CloneServer,
  CloneServers,
  Engine,
  IngestTarget,
  IngestedSource,
  ReadOnlyServing,
  ServerSettingsAccess,
  ServerState,
} from '../engine.js';
import { emptyDirectory } from '../empty-directory.js';
import { basebackup, stopStaleBasebackups } from './basebackup.js';
import { takeOverHookObjects } from './clone-roles.js';
import { parseConnectionString } from './connection-string.js';
import {
  LOGIN_ROLE,
  superusersOf,
  type InstanceSpec,
  type PostgresInstances,
} from './instances.js';
import { prepareVersion } from './prepare-version.js';
import { scramSha256Verifier } from './scram.js';
import { PostgresReadOnly } from './read-only.js';
import { HOOK_ROLE } from './server-config.js';
import {
  applyParameters,
  assertChangeable,
  changedParameters,
  pendingRestart,
} from './server-parameters.js';
import { makeStartable } from './startable.js';

/** PostgreSQL: `pg_basebackup` at ingest, one postmaster per clone, CHECKPOINT before a point. */
export class PostgresEngine implements Engine {
  readonly kind = 'postgres' as const;
  readonly servers: PostgresServers;

  constructor(
    private readonly pgBin: string,
    instances: PostgresInstances,
    /** Socket-only servers that run afterIngest hooks. */
    private readonly hookServers: PostgresInstances,
    private readonly hookRunner: HookRunner,
  ) {
    this.servers = new PostgresServers(instances, hookRunner);
  }

  /**
   * `pg_basebackup` as the template's identity, a data directory a clone can start as a primary,
   * then the version is prepared (hooks, roles, scrub) on a private socket-only server.
   */
  async ingest(target: IngestTarget): Promise<IngestedSource> {
    const { source, dataDir, identity: owner } = target;
    if (source.kind !== 'postgres')
      throw new AgentFailure(500, 'internal', `source ${source.id} is not a postgres source`);
    await stopStaleBasebackups(dataDir);
    await emptyDirectory(dataDir);
    const connection = parseConnectionString(source.connectionString);
    await chown(dataDir, owner.uid, owner.gid);
    await chmod(dataDir, 0o700);
    await basebackup(this.pgBin, source.connectionString, dataDir, owner, target.onProgress);
    await makeStartable(dataDir, owner);
    await ensureOwnedBy(dataDir, owner);
    try {
      const superuser = await prepareVersion(
        this.hookServers,
        this.hookRunner,
        {
          templateId: target.templateId,
          sourceId: source.id,
          sourceName: source.name ?? null,
          dataDir,
          database: connection.database,
          roleHint: connection.user ?? null,
          identity: owner,
        },
        target.hooks,
        target.hookLog,
        this.pgBin,
      );
      return {
        database: connection.database,
        ...(connection.user ? { ingestRole: connection.user } : {}),
        superuser,
      };
    } catch (error) {
      // Not prepared (masking failed, say): the raw copy must not outlive the failure.
      await emptyDirectory(dataDir);
      throw error;
    }
  }
}

/** The PostgreSQL clone servers, through PostgresInstances. */
class PostgresServers implements CloneServers {
  readonly ownerRole = LOGIN_ROLE;
  readonly passwordProperty = 'password-verifier';
  readonly settings: ServerSettingsAccess;
  readonly readOnly: ReadOnlyServing;

  constructor(
    private readonly instances: PostgresInstances,
    private readonly hookRunner: HookRunner,
  ) {
    this.readOnly = new PostgresReadOnly(instances);
    this.settings = {
      assertChangeable,
      changed: (server) =>
        this.withSuperuser(server, async (client) => ({
          settings: await changedParameters(client),
          pendingRestart: await pendingRestart(client),
        })),
      update: (server, settings) =>
        this.withSuperuser(
          server,
          async (client) => (await applyParameters(client, settings)).length > 0,
        ),
    };
  }

  passwordVerifier(password: string): string {
    return scramSha256Verifier(password);
  }

  state(dataDir: string): Promise<ServerState> {
    return this.instances.state(dataDir);
  }

  start(server: CloneServer): Promise<boolean> {
    return this.instances.start(instanceSpec(server));
  }

  stop(dataDir: string): Promise<void> {
    return this.instances.stop(dataDir);
  }

  /** CHECKPOINT, so a snapshot taken next starts without a long WAL replay; nothing to release. */
  async quiesce(server: CloneServer): Promise<() => Promise<void>> {
    await this.instances.checkpoint(instanceSpec(server));
    return async () => undefined;
  }

  async rotatePassword(server: CloneServer): Promise<void> {
    const spec = instanceSpec(server);
    await this.instances.configureOwner(spec);
    await this.instances.endSessions(spec, spec.loginRoles);
  }

  lastActivity(server: CloneServer): Promise<Date> {
    return this.instances.lastActivity(instanceSpec(server));
  }

  /**
   * The hooks (SQL, then shell) in the source database, after the password step; the owner takes
   * over what they created. Their output goes to `log` and to the server's log file.
   */
  async runAfterStart(server: CloneServer, hooks: HookSet, log: string[]): Promise<void> {
    if (!hasHooks(hooks) || !server.database) return;
    const spec = instanceSpec(server);
    const database = server.database;
    const started = {
      logFile: this.instances.logFile(spec),
      stop: () => this.instances.stop(spec.dataDir),
    };
    await runAfterStartHooks(started, log, async (lines) => {
      await this.hookRunner.run(
        this.instances,
        { ...spec, database, sourceName: server.sourceName },
        hooks,
        { kind: 'afterStart', ...spec },
        lines,
      );
      const session = await this.instances.superuserClient(spec, database);
      try {
        await takeOverHookObjects(session, HOOK_ROLE);
      } finally {
        await session.end();
      }
    });
  }

  async forget(containerId: string): Promise<void> {
    await rm(this.instances.configs.dir(containerId), { recursive: true, force: true });
  }

  private async withSuperuser<T>(
    server: CloneServer,
    work: (client: Awaited<ReturnType<PostgresInstances['superuserClient']>>) => Promise<T>,
  ): Promise<T> {
    const client = await this.instances.superuserClient(instanceSpec(server));
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

/** The PostgresInstances view of a clone server. */
function instanceSpec(server: CloneServer): InstanceSpec {
  return {
    containerId: server.containerId,
    sourceId: server.sourceId,
    dataDir: server.dataDir,
    port: server.port,
    identity: server.identity,
    superusers: superusersOf(server),
    loginRoles: [LOGIN_ROLE, ...server.owner.keepRoles],
    passwordVerifier: server.owner.passwordVerifier,
    ownerSuperuser: server.owner.superuser,
    keepRoles: server.owner.keepRoles,
  };
}
