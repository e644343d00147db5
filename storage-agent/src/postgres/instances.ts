import { spawn } from 'node:child_process';
import {
  chmod,
  chown,
  mkdir,
  open,
  readFile,
  readlink,
  realpath,
  rm,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { AgentFailure } from '../common/agent-failure.js';
import { postgresEnv, postgresUser } from './os-user.js';
import { isScramVerifier } from './scram.js';
import { CLONE_HBA, cloneSettings } from './server-settings.js';

/** The login role clients use; its password is the container's (stored as a SCRAM verifier). */
export const LOGIN_ROLE = 'branchpoint';

/** One PostgreSQL server on a data directory. */
export interface ServerSpec {
  /** Names its log file (with sourceId): a container id, or a template's for ingest hooks. */
  containerId: string;
  sourceId: string;
  dataDir: string;
  port: number;
  /** A role that probably exists in the cluster (the one it was ingested with). */
  roleHint: string | null;
}

/** One PostgreSQL server of a container source. */
export interface InstanceSpec extends ServerSpec {
  passwordVerifier: string;
}

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
   * Starts the server unless it runs, waits until it accepts connections, then sets the login
   * role's password. Answers whether it launched the server (false: it was running already).
   */
  async start(spec: InstanceSpec): Promise<boolean> {
    if (!isScramVerifier(spec.passwordVerifier))
      throw new AgentFailure(
        500,
        'instance-failed',
        `container ${spec.containerId} has no valid password verifier`,
      );
    const launched = await this.serve(spec);
    const client = await this.superuserClient(spec.port, spec.roleHint);
    try {
      const role = client.escapeIdentifier(LOGIN_ROLE);
      const password = client.escapeLiteral(spec.passwordVerifier);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [LOGIN_ROLE]);
      const verb = exists.rowCount ? 'ALTER' : 'CREATE';
      await client.query(`${verb} ROLE ${role} WITH LOGIN SUPERUSER PASSWORD ${password}`);
    } finally {
      await client.end();
    }
    return launched;
  }

  /** Starts the server unless it runs and waits until it accepts connections; answers whether it launched it. */
  async serve(spec: ServerSpec): Promise<boolean> {
    // A server may run but still be starting (an agent killed mid-start): wait for it either way.
    const running = (await this.state(spec.dataDir)).running;
    const gone = running
      ? async () => !(await this.state(spec.dataDir)).running
      : await this.launch(spec);
    await this.waitUntilReady(spec, gone);
    return !running;
  }

  /** Fast shutdown; waits until the postmaster is gone. */
  async stop(dataDir: string): Promise<void> {
    const { pid, running } = await this.state(dataDir);
    if (!running || pid === null) return;
    process.kill(pid, 'SIGINT');
    if (await waitForExit(pid, STOP_TIMEOUT_MS)) return;
    process.kill(pid, 'SIGQUIT');
    if (!(await waitForExit(pid, 10_000)))
      throw new AgentFailure(500, 'instance-failed', `postgres ${pid} on ${dataDir} did not stop`);
  }

  /** CHECKPOINT, so a snapshot taken next starts without a long WAL replay. */
  async checkpoint(port: number, roleHint: string | null): Promise<void> {
    const client = await this.superuserClient(port, roleHint);
    try {
      await client.query('CHECKPOINT');
    } finally {
      await client.end();
    }
  }

  /**
   * When a client last used the server: now while any client session other than ours is
   * connected, else the server start (a stopped session leaves no trace in pg_stat_activity).
   */
  async lastActivity(port: number, roleHint: string | null): Promise<Date> {
    const client = await this.superuserClient(port, roleHint);
    try {
      const { rows } = await client.query<{ clients: number; started: Date }>(
        `SELECT count(*) FILTER (WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())::int AS clients,
                pg_postmaster_start_time() AS started
           FROM pg_stat_activity`,
      );
      const row = rows[0];
      return row && row.clients === 0 ? row.started : new Date();
    } finally {
      await client.end();
    }
  }

  /** Spawns the postmaster; answers a check that tells whether it has exited. */
  private async launch(spec: ServerSpec): Promise<() => Promise<boolean>> {
    const user = await postgresUser();
    const socketDir = this.socketDir(spec.port);
    // The postgres user must traverse the run directory to reach its socket directory.
    await mkdir(this.runDir, { recursive: true });
    await chmod(this.runDir, 0o711);
    await mkdir(path.dirname(socketDir), { recursive: true, mode: 0o755 });
    await mkdir(socketDir, { recursive: true, mode: 0o700 });
    await chown(socketDir, user.uid, user.gid);
    await chmod(socketDir, 0o700);
    const logFile = this.logFile(spec);
    await mkdir(path.dirname(logFile), { recursive: true, mode: 0o755 });
    // A clone of a running server carries the source's postmaster.pid; it is stale here.
    await rm(path.join(spec.dataDir, 'postmaster.pid'), { force: true });
    for (const file of ['pg_hba.conf', 'pg_ident.conf', 'postgresql.conf']) {
      const target = path.join(spec.dataDir, file);
      if (file === 'pg_hba.conf') await writeFile(target, CLONE_HBA);
      else await writeFile(target, '', { flag: 'a' });
      await chown(target, user.uid, user.gid);
    }
    const settings = cloneSettings({
      port: spec.port,
      socketDir,
      dataDir: spec.dataDir,
      listen: this.listen,
    });
    const args = ['-D', spec.dataDir];
    for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);
    const log = await open(logFile, 'a');
    let exited: number | null = null;
    try {
      // The postmaster is our direct child in its own session, so it outlives the agent.
      const child = spawn(path.join(this.pgBin, 'postgres'), args, {
        uid: user.uid,
        gid: user.gid,
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
        env: postgresEnv(user.name),
      });
      child.on('exit', (code) => (exited = code ?? -1));
      child.on('error', () => (exited = -1));
      child.unref();
    } finally {
      await log.close();
    }
    return async () => exited !== null;
  }

  private async waitUntilReady(spec: ServerSpec, gone: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await gone()) break;
      if ((await this.state(spec.dataDir)).running && (await this.accepts(spec.port))) return;
      await sleep(READY_POLL_MS);
    }
    const tail = (await readFile(this.logFile(spec), 'utf8').catch(() => ''))
      .trim()
      .split('\n')
      .slice(-5)
      .join(' | ');
    throw new AgentFailure(
      500,
      'instance-failed',
      `postgres for ${spec.containerId}/${spec.sourceId} on port ${spec.port} did not start: ${tail}`,
    );
  }

  private async accepts(port: number): Promise<boolean> {
    const client = new pg.Client({
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
   * A session as a superuser through the socket: the ingest role if it is one, else the bootstrap
   * superuser; in `database` when given, else in postgres (or template1).
   */
  async superuserClient(
    port: number,
    roleHint: string | null,
    database?: string,
  ): Promise<pg.Client> {
    const tried = new Set<string>();
    const candidates = [roleHint, 'postgres'].filter((user): user is string => !!user);
    let lastError: unknown;
    while (candidates.length > 0) {
      const user = candidates.shift() as string;
      if (tried.has(user)) continue;
      tried.add(user);
      for (const name of database ? [database] : ['postgres', 'template1']) {
        const client = new pg.Client({ host: this.socketDir(port), port, user, database: name });
        try {
          await client.connect();
        } catch (error) {
          lastError = error;
          await client.end().catch(() => undefined);
          continue;
        }
        const { rows } = await client.query<{ rolsuper: boolean; bootstrap: string }>(
          'SELECT rolsuper, (SELECT rolname FROM pg_roles WHERE oid = 10) AS bootstrap FROM pg_roles WHERE rolname = current_user',
        );
        if (rows[0]?.rolsuper) return client;
        await client.end();
        if (rows[0]) candidates.unshift(rows[0].bootstrap);
        break;
      }
    }
    throw new AgentFailure(
      500,
      'instance-failed',
      `no superuser session on port ${port}: ${String((lastError as Error | undefined)?.message ?? 'no role found')}`,
    );
  }
}

async function readPid(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
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
