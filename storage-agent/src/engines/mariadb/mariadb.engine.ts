import type { SourceSpec } from '@branchpoint/contracts';
import type mysql from 'mysql2/promise';
import { AgentFailure } from '../../common/agent-failure.js';
import { clip, runAfterStartHooks } from '../../hooks/hook-log.js';
import { hasHooks, type HookMoment, type HookSet } from '../../hooks/hook-set.js';
import { runStatements } from '../../hooks/run-statements.js';
import type {
  CloneOwner,
  CloneServer,
  CloneServers,
  Engine,
  IngestTarget,
  IngestedSource,
  ServerState,
} from '../engine.js';
import { emptyDirectory } from '../empty-directory.js';
import { mariadbBackup, stopStaleBackups } from './backup.js';
import { parseMariadbUrl } from './connection-string.js';
import { AGENT_USER, type MariadbInstances, type MariadbServer } from './instances.js';
import { isNativePasswordHash, nativePasswordHash } from './native-password.js';
import { MariadbReadOnly } from './read-only.js';

/** The user clients log in as (over TLS, with the container's password). */
export const OWNER_USER = 'branchpoint';

/** Accounts the agent never locks, unlocks or gives a password: its own and MariaDB's. */
const SYSTEM_USERS = [AGENT_USER, 'mariadb.sys'];
const SYSTEM_DATABASES = ['mysql', 'information_schema', 'performance_schema', 'sys'];

// Ingest servers listen on a socket only, so their port numbers merely name the socket.
let nextPort = 40000;
const portForRun = () => (nextPort = nextPort >= 49999 ? 40000 : nextPort + 1);

/**
 * MariaDB (and MySQL where the same code serves): `mariadb-backup` at ingest, one mariadbd per
 * clone under the container's identity, `BACKUP STAGE … BLOCK_COMMIT` around a point.
 */
export class MariadbEngine implements Engine {
  readonly kind = 'mariadb' as const;
  readonly servers: MariadbServers;

  constructor(
    instances: MariadbInstances,
    /** Socket-only servers that prepare an ingested copy. */
    private readonly ingestServers: MariadbInstances,
  ) {
    this.servers = new MariadbServers(instances);
  }

  check(source: SourceSpec): void {
    if (source.kind === 'mariadb') parseMariadbUrl(source.connectionString);
  }

  /**
   * A physical copy, then on a private socket-only server of it: the afterIngest SQL hooks, and
   * every account of the source locked (clients log in as the owner, or as kept accounts).
   */
  async ingest(target: IngestTarget): Promise<IngestedSource> {
    const { source, dataDir, identity } = target;
    if (source.kind !== 'mariadb')
      throw new AgentFailure(500, 'internal', `source ${source.id} is not a mariadb source`);
    const connection = parseMariadbUrl(source.connectionString);
    await stopStaleBackups(dataDir);
    await emptyDirectory(dataDir);
    await mariadbBackup(connection, dataDir, identity, target.onProgress);
    const server: MariadbServer = {
      containerId: `template-${target.templateId}`,
      sourceId: source.id,
      dataDir,
      port: portForRun(),
      identity,
      tls: false,
    };
    try {
      await this.ingestServers.serve(server);
      const session = await this.ingestServers.adminSession(server, connection.database);
      try {
        await runHooks(
          session,
          {
            label: source.name ?? source.id,
            moment: { kind: 'afterIngest', templateId: target.templateId },
          },
          target.hooks,
          target.hookLog,
        );
        await lockSourceAccounts(session);
      } finally {
        await session.end();
      }
    } catch (error) {
      await this.ingestServers.stop(dataDir);
      // Not prepared (a hook failed, say): the raw copy must not outlive the failure.
      await emptyDirectory(dataDir);
      throw error;
    }
    // A clean shutdown: the version starts without crash recovery.
    await this.ingestServers.stop(dataDir);
    return { database: connection.database, ingestRole: connection.user };
  }
}

/** The MariaDB clone servers. */
class MariadbServers implements CloneServers {
  readonly ownerRole = OWNER_USER;
  readonly passwordProperty = 'password-mariadb';
  readonly readOnly: MariadbReadOnly;

  constructor(private readonly instances: MariadbInstances) {
    this.readOnly = new MariadbReadOnly(instances);
  }

  passwordVerifier(password: string): string {
    return nativePasswordHash(password);
  }

  state(dataDir: string): Promise<ServerState> {
    return this.instances.state(dataDir);
  }

  async start(server: CloneServer): Promise<boolean> {
    if (!isNativePasswordHash(server.owner.passwordVerifier))
      throw new AgentFailure(
        500,
        'instance-failed',
        `container ${server.containerId} has no valid mariadb password hash`,
      );
    const launched = await this.instances.serve(mariadbServer(server));
    await this.withSession(server, (session) => configureOwner(session, server.owner));
    return launched;
  }

  stop(dataDir: string): Promise<void> {
    return this.instances.stop(dataDir);
  }

  /**
   * BACKUP STAGE up to BLOCK_COMMIT: DDL and commits wait (reads and uncommitted writes go on),
   * so the snapshot holds committed transactions only and InnoDB recovers it like a crash; the
   * release (BACKUP STAGE END) comes right after the snapshot.
   */
  async quiesce(server: CloneServer): Promise<() => Promise<void>> {
    const session = await this.instances.adminSession(mariadbServer(server));
    try {
      await session.query('SET SESSION lock_wait_timeout = 60');
      for (const stage of ['START', 'FLUSH', 'BLOCK_DDL', 'BLOCK_COMMIT'])
        await session.query(`BACKUP STAGE ${stage}`);
    } catch (error) {
      await session.end().catch(() => undefined);
      throw new AgentFailure(
        500,
        'instance-failed',
        `could not quiesce mariadb ${server.containerId}/${server.sourceId}: ${(error as Error).message}`,
      );
    }
    return async () => {
      try {
        await session.query('BACKUP STAGE END');
      } finally {
        await session.end().catch(() => undefined);
      }
    };
  }

  async rotatePassword(server: CloneServer): Promise<void> {
    await this.withSession(server, async (session) => {
      const users = await configureOwner(session, server.owner);
      const [rows] = await session.query<mysql.RowDataPacket[]>(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER IN (?) AND ID <> CONNECTION_ID()',
        [users],
      );
      for (const row of rows)
        await session.query('KILL CONNECTION ?', [row['id']]).catch(() => undefined);
    });
  }

  /** Now while a client other than the agent is connected, else the server's start. */
  lastActivity(server: CloneServer): Promise<Date> {
    return this.withSession(server, async (session) => {
      const [rows] = await session.query<mysql.RowDataPacket[]>(
        `SELECT (SELECT COUNT(*) FROM information_schema.PROCESSLIST
                  WHERE USER NOT IN (?, 'system user', 'event_scheduler') AND COMMAND <> 'Daemon'
                    AND ID <> CONNECTION_ID()) AS clients,
                UNIX_TIMESTAMP() - (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
                                     WHERE VARIABLE_NAME = 'UPTIME') AS started`,
        [AGENT_USER],
      );
      const row = rows[0];
      return row && Number(row['clients']) === 0
        ? new Date(Number(row['started']) * 1000)
        : new Date();
    });
  }

  async runAfterStart(server: CloneServer, hooks: HookSet, log: string[]): Promise<void> {
    if (!hasHooks(hooks) || !server.database) return;
    const database = server.database;
    const spec = mariadbServer(server);
    const started = {
      logFile: this.instances.logFile(spec),
      stop: () => this.instances.stop(server.dataDir),
    };
    await runAfterStartHooks(started, log, async (lines) => {
      const session = await this.instances.adminSession(spec, database);
      try {
        await runHooks(
          session,
          {
            label: server.sourceName ?? server.sourceId,
            moment: { kind: 'afterStart', containerId: server.containerId },
          },
          hooks,
          lines,
        );
      } finally {
        await session.end();
      }
    });
  }

  forget(containerId: string): Promise<void> {
    return this.instances.forget(containerId);
  }

  private async withSession<T>(
    server: CloneServer,
    work: (session: mysql.Connection) => Promise<T>,
  ): Promise<T> {
    const session = await this.instances.adminSession(mariadbServer(server));
    try {
      return await work(session);
    } finally {
      await session.end().catch(() => undefined);
    }
  }
}

const FAILURE = {
  afterIngest: { status: 422, code: 'ingest-failed' },
  afterStart: { status: 500, code: 'instance-failed' },
} as const;

/**
 * The SQL hooks in one transaction through the engine's client (MariaDB commits DDL at once);
 * shell hooks are PostgreSQL's (their environment is libpq's), so the log says they did not run.
 */
async function runHooks(
  session: mysql.Connection,
  context: { label: string; moment: HookMoment },
  hooks: HookSet,
  log: string[],
): Promise<void> {
  const { label, moment } = context;
  if (hooks.sql.length > 0)
    await runStatements(
      {
        query: async (statement) => {
          const [result] = await session.query(statement);
          const affected = (result as { affectedRows?: number }).affectedRows;
          const rowCount = Array.isArray(result) ? result.length : (affected ?? null);
          return { command: null, rowCount };
        },
      },
      hooks.sql,
      { label, hook: moment.kind, failure: FAILURE[moment.kind] },
      log,
    );
  if (hooks.shell)
    log.push(clip(`${label}: ${moment.kind}Shell: not run (shell hooks run on postgres sources)`));
}

/** Every account copied from the source loses its login: clients use the owner or kept accounts. */
async function lockSourceAccounts(session: mysql.Connection): Promise<void> {
  const [rows] = await session.query<mysql.RowDataPacket[]>(
    "SELECT User AS user, Host AS host FROM mysql.user WHERE User NOT IN (?) AND is_role = 'N'",
    [SYSTEM_USERS],
  );
  for (const row of rows)
    await session.query('ALTER USER ?@? ACCOUNT LOCK', [row['user'], row['host']]);
}

/**
 * The owner (`branchpoint`@`%`, TLS, the container's password) owns every database of the
 * source, or everything when the template makes it a superuser; kept accounts get their login
 * back with the container's password. Answers the user names that log in with it.
 */
async function configureOwner(session: mysql.Connection, owner: CloneOwner): Promise<string[]> {
  const hash = owner.passwordVerifier;
  await session.query('CREATE USER IF NOT EXISTS ?@?', [OWNER_USER, '%']);
  await session.query('ALTER USER ?@? IDENTIFIED BY PASSWORD ? REQUIRE SSL ACCOUNT UNLOCK', [
    OWNER_USER,
    '%',
    hash,
  ]);
  if (owner.superuser) {
    await session.query('GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION', [OWNER_USER, '%']);
  } else {
    const [databases] = await session.query<mysql.RowDataPacket[]>(
      'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN (?)',
      [SYSTEM_DATABASES],
    );
    for (const { name } of databases)
      await session.query(
        `GRANT ALL PRIVILEGES ON ${session.escapeId(String(name))}.* TO ?@? WITH GRANT OPTION`,
        [OWNER_USER, '%'],
      );
  }
  const kept = owner.keepRoles.filter((user) => ![OWNER_USER, ...SYSTEM_USERS].includes(user));
  if (kept.length > 0) {
    const [accounts] = await session.query<mysql.RowDataPacket[]>(
      "SELECT User AS user, Host AS host FROM mysql.user WHERE User IN (?) AND is_role = 'N'",
      [kept],
    );
    for (const account of accounts)
      await session.query('ALTER USER ?@? IDENTIFIED BY PASSWORD ? REQUIRE SSL ACCOUNT UNLOCK', [
        account['user'],
        account['host'],
        hash,
      ]);
  }
  return [OWNER_USER, ...kept];
}

function mariadbServer(server: CloneServer): MariadbServer {
  return {
    containerId: server.containerId,
    sourceId: server.sourceId,
    dataDir: server.dataDir,
    port: server.port,
    identity: server.identity,
    tls: true,
  };
}
