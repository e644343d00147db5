import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readlink, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { AgentFailure } from '../../common/agent-failure.js';
import { readFileSafely } from '../../common/safe-files.js';
import { timedStep } from '../../common/step-times.js';
import type { OsIdentity } from '../../identity/os-identity.js';
import {
  serveTenantServer,
  serverDidNotStart,
  spawnTenantServer,
} from '../../identity/tenant-server.js';
import { isScramVerifier } from './scram.js';
import {
  HOOK_ROLE,
  fixedSettings,
  type ServerAccess,
  type ServerConfigs,
} from './server-config.js';
import { configureOwner } from './clone-roles.js';

/** The login role clients use; its password is the container's (stored as a SCRAM verifier). */
export const LOGIN_ROLE = 'branchpoint';

/** One PostgreSQL server on a data directory. */
export interface ServerSpec {
  /** Names its log file (with sourceId) and its configuration directory: a container id, or `template-<id>`. */
  containerId: string;
  sourceId: string;
  dataDir: string;
  port: number;
  /** The OS identity the server runs as; it owns the data directory. */
  identity: OsIdentity;
  /** Roles that are probably superusers of the cluster, best guess first (the agent logs in as one). */
  superusers: string[];
  /** Roles clients may log in as over TLS; empty: the server listens on its socket only. */
  loginRoles: string[];
  /** Command-line settings of this server only (a read-only server's); they win over the fixed ones. */
  settings?: Record<string, string>;
}

/** One PostgreSQL server of a container source. */
export interface InstanceSpec extends ServerSpec {
  passwordVerifier: string;
  ownerSuperuser: boolean;
  keepRoles: string[];
}

/** Where a running server is reached as a superuser. */
export type ServerAddress = Pick<
  ServerSpec,
  'port' | 'superusers' | 'loginRoles' | 'containerId' | 'identity'
>;

export interface InstanceState {
  pid: number | null;
  running: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Activation waits on these polls; a short interval is most of what makes a switch feel instant.
const READY_POLL_MS = 25;
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

/**
 * Starts, stops and inspects clone servers. It keeps no state of its own: whether a server runs
 * is read from postmaster.pid and /proc each time, so a restarted agent sees what runs.
 */
export class PostgresInstances {
  constructor(
    private readonly pgBin: string,
    private readonly runDir: string,
    readonly configs: ServerConfigs,
    private readonly listen = '*',
    /** Under the run directory; servers of another kind (ingest hooks) use their own. */
    private readonly sockets = 'sockets',
  ) {}

  socketDir(port: number): string {
    return path.join(this.runDir, this.sockets, String(port));
  }

  logFile(spec: Pick<InstanceSpec, 'containerId' | 'sourceId'>): string {
    return path.join(this.runDir, 'logs', `${spec.containerId}.${spec.sourceId}.log`);
  }

  /** Whether the postmaster named in postmaster.pid is alive and serving this data directory. */
  async state(dataDir: string): Promise<InstanceState> {
    const pid = await readPid(dataDir);
    if (pid === null) return { pid: null, running: false };
    try {
      const cwd = await readlink(`/proc/${pid}/cwd`);
      const running = cwd === (await realpath(dataDir));
      return { pid: running ? pid : null, running };
    } catch {
      return { pid: null, running: false };
    }
  }

  /**
   * Starts the server unless it runs, waits until it accepts connections, then gives the owner
   * role the container's password and attributes. Answers whether it launched the server.
   */
  async start(spec: InstanceSpec): Promise<boolean> {
    if (!isScramVerifier(spec.passwordVerifier))
      throw new AgentFailure(
        500,
        'instance-failed',
        `container ${spec.containerId} has no valid password verifier`,
      );
    const launched = await this.serve(spec);
    await timedStep('postgres owner role', () => this.configureOwner(spec));
    return launched;
  }

  /** Sets the owner role's (and kept roles') password and attributes in a running server. */
  async configureOwner(spec: InstanceSpec): Promise<void> {
    const client = await this.superuserClient(spec);
    try {
      await configureOwner(client, {
        verifier: spec.passwordVerifier,
        superuser: spec.ownerSuperuser,
        keepRoles: spec.keepRoles,
      });
    } finally {
      await client.end();
    }
  }

  /** Starts the server unless it runs and waits until it accepts connections; answers whether it launched it. */
  async serve(spec: ServerSpec): Promise<boolean> {
    return serveTenantServer({
      running: async () => (await this.state(spec.dataDir)).running,
      launch: () => timedStep('postgres launch', () => this.launch(spec)),
      waitUntilReady: (gone) => timedStep('postgres ready', () => this.waitUntilReady(spec, gone)),
    });
  }

  /** Fast shutdown; waits until the postmaster is gone. */
  async stop(dataDir: string): Promise<void> {
    const { pid, running } = await this.state(dataDir);
    if (!running || pid === null) return;
    process.kill(pid, 'SIGINT');
    if (await timedStep('postgres stop', () => waitForExit(pid, STOP_TIMEOUT_MS))) return;
    process.kill(pid, 'SIGQUIT');
    if (!(await waitForExit(pid, 10_000)))
      throw new AgentFailure(500, 'instance-failed', `postgres ${pid} on ${dataDir} did not stop`);
  }

  /** CHECKPOINT, so a snapshot taken next starts without a long WAL replay. */
  async checkpoint(server: ServerAddress): Promise<void> {
    const client = await this.superuserClient(server);
    try {
      await timedStep('CHECKPOINT', () => client.query('CHECKPOINT'));
    } finally {
      await client.end();
    }
  }

  /** Ends every session of these roles (their password changed). */
  async endSessions(server: ServerAddress, roles: string[]): Promise<void> {
    const client = await this.superuserClient(server);
    try {
      await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY($1) AND pid <> pg_backend_pid()',
        [roles],
      );
    } finally {
      await client.end();
    }
  }

  /**
   * When a client last used the server: now while any client session is connected, else the
   * server start (a stopped session leaves no trace in pg_stat_activity). The agent's own
   * sessions do not count: an overlapping check's would keep the server awake for good.
   */
  async lastActivity(server: ServerAddress): Promise<Date> {
    const client = await this.superuserClient(server);
    try {
      const { rows } = await client.query<{ clients: number; started: Date }>(
        `SELECT count(*) FILTER (WHERE backend_type = 'client backend' AND application_name IS DISTINCT FROM $1)::int AS clients,
                pg_postmaster_start_time() AS started
           FROM pg_stat_activity`,
        [AGENT_APPLICATION],
      );
      const row = rows[0];
      return row && row.clients === 0 ? row.started : new Date();
    } finally {
      await client.end();
    }
  }

  /**
   * Runs `work` with a superuser role that can log in through the socket with a password made
   * for this run only (shell hooks connect as it); afterwards the role can log in no more.
   */
  async withHookRole<T>(
    server: ServerAddress,
    work: (login: { user: string; password: string }) => Promise<T>,
  ): Promise<T> {
    const password = randomBytes(24).toString('base64url');
    const client = await this.superuserClient(server);
    try {
      const role = client.escapeIdentifier(HOOK_ROLE);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [HOOK_ROLE]);
      const verb = exists.rowCount ? 'ALTER' : 'CREATE';
      // No one may reach it through membership while it is a superuser (SET ROLE).
      const members = await client.query<{ member: string }>(
        `SELECT m.member::regrole::text AS member FROM pg_auth_members m
          WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
        [HOOK_ROLE],
      );
      for (const { member } of members.rows) await client.query(`REVOKE ${role} FROM ${member}`);
      await client.query(
        `${verb} ROLE ${role} WITH LOGIN SUPERUSER PASSWORD ${client.escapeLiteral(password)}`,
      );
      try {
        return await work({ user: HOOK_ROLE, password });
      } finally {
        await client.query(`ALTER ROLE ${role} WITH NOLOGIN NOSUPERUSER PASSWORD NULL`);
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1',
          [HOOK_ROLE],
        );
      }
    } finally {
      await client.end();
    }
  }

  /** Spawns the postmaster as the server's identity; answers a check that tells whether it has exited. */
  private async launch(spec: ServerSpec): Promise<() => Promise<boolean>> {
    const { identity } = spec;
    const socketDir = this.socketDir(spec.port);
    // The server's identity must traverse the run directory to reach its socket directory.
    await mkdir(this.runDir, { recursive: true });
    await chmod(this.runDir, 0o711);
    await mkdir(path.dirname(socketDir), { recursive: true, mode: 0o711 });
    await chmod(path.dirname(socketDir), 0o711);
    await mkdir(socketDir, { recursive: true, mode: 0o700 });
    await chown(socketDir, identity.uid, identity.gid);
    await chmod(socketDir, 0o700);
    // A clone of a running server carries the source's postmaster.pid; it is stale here.
    await rm(path.join(spec.dataDir, 'postmaster.pid'), { force: true });
    const files = await this.configs.write(spec.containerId, access(spec));
    const settings = {
      ...fixedSettings({ port: spec.port, socketDir, listen: this.listen, files }),
      ...spec.settings,
    };
    const args = ['-D', spec.dataDir];
    for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);
    return spawnTenantServer(path.join(this.pgBin, 'postgres'), args, identity, {
      cwd: spec.dataDir,
      logFile: this.logFile(spec),
    });
  }

  private async waitUntilReady(spec: ServerSpec, gone: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await gone()) break;
      if ((await this.state(spec.dataDir)).running && (await this.accepts(spec.port))) return;
      await sleep(READY_POLL_MS);
    }
    throw await serverDidNotStart(
      `postgres for ${spec.containerId}/${spec.sourceId} on port ${spec.port}`,
      this.logFile(spec),
    );
  }

  private async accepts(port: number): Promise<boolean> {
    const client = localClient({
      host: this.socketDir(port),
      port,
      user: 'postgres',
      database: 'postgres',
      connectionTimeoutMillis: 2000,
    });
    try {
      await client.connect();
      return true;
    } catch (error) {
      // 57P03: starting up. Any other answer (no such role, no such database) means it serves.
      const code = (error as { code?: string }).code;
      return code !== undefined && code !== '57P03' && !/^E[A-Z]+$/.test(code);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /**
   * A superuser session through the socket (peer authentication of root), as the first of the
   * server's superusers that is one; in `database` when given, else in postgres (or template1).
   * When none is, but a session revealed the bootstrap superuser, the agent admits itself as
   * that role (pg_ident, reload) and answers a session as it; `server.superusers` learns it.
   */
  async superuserClient(server: ServerAddress, database?: string): Promise<pg.Client> {
    const found = await this.trySuperusers(server, database);
    if (found.client) return found.client;
    if (found.bootstrap && !server.superusers.includes(found.bootstrap)) {
      await this.admitSuperuser(server, found.bootstrap);
      const again = await this.trySuperusers(server, database);
      if (again.client) return again.client;
    }
    throw new AgentFailure(
      500,
      'instance-failed',
      `no superuser session on port ${server.port}: ${found.error}`,
    );
  }

  /** Lets root in as `role` too (first choice from now on): pg_ident, then a reload. */
  async admitSuperuser(server: ServerAddress, role: string): Promise<void> {
    server.superusers.unshift(role);
    await this.configs.writeAccess(server.containerId, access(server));
    await this.reloadPort(server.port);
    // The reload is asynchronous: wait until a session as the role is let in.
    for (let attempt = 0; attempt < 80; attempt++) {
      const client = localClient({
        host: this.socketDir(server.port),
        port: server.port,
        user: role,
        database: 'template1',
      });
      try {
        await client.connect();
        return;
      } catch {
        await sleep(READY_POLL_MS);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  private async trySuperusers(
    server: ServerAddress,
    database: string | undefined,
  ): Promise<{ client?: pg.Client; bootstrap?: string; error: string }> {
    let error = 'no role found';
    let bootstrap: string | undefined;
    for (const user of new Set(server.superusers)) {
      for (const name of database ? [database] : ['postgres', 'template1']) {
        const client = localClient({
          host: this.socketDir(server.port),
          port: server.port,
          user,
          database: name,
        });
        try {
          await client.connect();
        } catch (cause) {
          error = (cause as Error).message;
          await client.end().catch(() => undefined);
          continue;
        }
        const { rows } = await client.query<{ rolsuper: boolean; bootstrap: string }>(
          'SELECT rolsuper, (SELECT rolname FROM pg_roles WHERE oid = 10) AS bootstrap FROM pg_roles WHERE rolname = current_user',
        );
        if (rows[0]?.rolsuper) return { client, error };
        await client.end();
        bootstrap = rows[0]?.bootstrap;
        break;
      }
    }
    return { ...(bootstrap ? { bootstrap } : {}), error };
  }

  /** SIGHUP to the postmaster listening on a port (its pid from the socket's lock file). */
  private async reloadPort(port: number): Promise<void> {
    const lock = await readFileSafely(path.join(this.socketDir(port), `.s.PGSQL.${port}.lock`));
    const pid = Number(lock?.split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGHUP');
  }
}

/** Roles the agent tries as a source's superuser: the one found at ingest, then guesses. */
export function superusersOf(source: {
  superuser: string | null;
  roleHint: string | null;
}): string[] {
  return [
    ...new Set(
      [source.superuser, source.roleHint, 'postgres'].filter((role): role is string => !!role),
    ),
  ];
}

/** Who may reach a server: root as its superusers, clients as its login roles over TLS. */
export function access(spec: ServerAddress): ServerAccess {
  return { identity: spec.identity, superusers: spec.superusers, loginRoles: spec.loginRoles };
}

async function readPid(dataDir: string): Promise<number | null> {
  // The data directory is the tenant's: never follow a link it planted.
  const text = await readFileSafely(path.join(dataDir, 'postmaster.pid')).catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(READY_POLL_MS);
  }
  return false;
}

/**
 * A client of a local server. A server that goes away under a session (a crash, a PANIC when
 * the pool is full) makes the client emit `error`; the query that was running fails with it,
 * and without a listener the event would end the agent.
 */
/** Names the agent's own sessions, which are not a client's activity (see `lastActivity`). */
const AGENT_APPLICATION = 'branchpoint-agent';

function localClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client({ ...config, application_name: AGENT_APPLICATION });
  client.on('error', () => undefined);
  return client;
}
