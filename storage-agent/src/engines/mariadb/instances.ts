import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, chown, mkdir, readlink, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { AgentFailure } from '../../common/agent-failure.js';
import { waitForExit } from '../../common/processes.js';
import { readFileSafely, writeFileSafely } from '../../common/safe-files.js';
import type { OsIdentity } from '../../identity/os-identity.js';
import {
  serveTenantServer,
  serverDidNotStart,
  spawnTenantServer,
} from '../../identity/tenant-server.js';
import type { CloneCertificates } from '../../tls/clone-certificates.js';
import type { ServerState } from '../engine.js';
import { isNativePasswordHash } from './native-password.js';

/** The account the agent administers a server as: through its socket only, password per server. */
export const AGENT_USER = 'branchpoint_agent';
/** The account readers of a read-only server log in as (see MariadbServer.readerHash). */
export const READER_USER = 'branchpoint_reader';

/** One mariadbd on a data directory. */
export interface MariadbServer {
  /** Names its log file and configuration directory: a container id, or `template-<id>`. */
  containerId: string;
  sourceId: string;
  dataDir: string;
  /** The TCP port; with `tls` false it only names the socket directory (no TCP at all). */
  port: number;
  identity: OsIdentity;
  /** Clients over TCP, TLS only; false: a private server on its socket (ingest). */
  tls: boolean;
  /**
   * Serves read-only, admitting READER_USER alone (with this mysql_native_password hash): every
   * other account is locked before the server takes its first connection.
   */
  readerHash?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const READY_POLL_MS = 50;
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 120_000;
const PID_FILE = 'mariadbd.pid';

/**
 * Settings that suit many clones per host: a small buffer pool, no performance schema, few
 * connections; fsync instead of O_DIRECT and no native AIO, which ZFS (and zfs-fuse) lack; no
 * doublewrite, as ZFS never tears a page.
 */
export const CLONE_TUNING = [
  '--innodb-buffer-pool-size=32M',
  '--innodb-log-file-size=32M',
  '--innodb-log-buffer-size=4M',
  '--innodb-flush-method=fsync',
  '--skip-innodb-use-native-aio',
  '--skip-innodb-doublewrite',
  '--performance-schema=OFF',
  '--max-connections=30',
  '--table-open-cache=200',
  '--thread-cache-size=2',
  '--key-buffer-size=1M',
  '--aria-pagecache-buffer-size=8M',
];

/**
 * Starts, stops and inspects MariaDB clone servers, each as its container's OS identity. Keeps no
 * state: whether a server runs is read from its pid file and /proc each time. Root reaches a
 * server through its socket as AGENT_USER, whose password is set by an init file at every start
 * and kept in a root-only file of the configuration directory.
 */
export class MariadbInstances {
  constructor(
    private readonly runDir: string,
    private readonly certificates: CloneCertificates | null,
    private readonly listen: string,
    /** Under the run directory; ingest servers use their own. */
    private readonly sockets = 'mariadb-sockets',
  ) {}

  socketDir(port: number): string {
    return path.join(this.runDir, this.sockets, String(port));
  }

  socketFile(port: number): string {
    return path.join(this.socketDir(port), 'mariadbd.sock');
  }

  configDir(containerId: string): string {
    return path.join(this.runDir, 'servers', containerId);
  }

  logFile(server: Pick<MariadbServer, 'containerId' | 'sourceId'>): string {
    return path.join(this.runDir, 'logs', `${server.containerId}.${server.sourceId}.log`);
  }

  /** Whether the mariadbd named in the pid file is alive and serving this data directory. */
  async state(dataDir: string): Promise<ServerState> {
    // The data directory is the tenant's: never follow a link it planted.
    const text = await readFileSafely(path.join(dataDir, PID_FILE)).catch(() => null);
    const pid = Number(text?.trim());
    if (!Number.isInteger(pid) || pid <= 0) return { pid: null, running: false };
    try {
      const running = (await readlink(`/proc/${pid}/cwd`)) === (await realpath(dataDir));
      return { pid: running ? pid : null, running };
    } catch {
      return { pid: null, running: false };
    }
  }

  /** Starts the server unless it runs and waits until the agent can log in; answers whether it launched it. */
  async serve(server: MariadbServer): Promise<boolean> {
    const launched = await serveTenantServer({
      running: async () => (await this.state(server.dataDir)).running,
      launch: () => this.launch(server),
      waitUntilReady: (gone) => this.waitUntilReady(server, gone),
    });
    await rm(path.join(this.socketDir(server.port), 'init.sql'), { force: true });
    return launched;
  }

  /** Normal shutdown (SIGTERM); waits until the server is gone. */
  async stop(dataDir: string): Promise<void> {
    const { pid, running } = await this.state(dataDir);
    if (!running || pid === null) return;
    process.kill(pid, 'SIGTERM');
    if (await waitForExit(pid, STOP_TIMEOUT_MS)) return;
    process.kill(pid, 'SIGKILL');
    if (!(await waitForExit(pid, 10_000)))
      throw new AgentFailure(500, 'instance-failed', `mariadbd ${pid} on ${dataDir} did not stop`);
  }

  /** A session as AGENT_USER through the server's socket, in `database` when given. */
  async adminSession(server: MariadbServer, database?: string): Promise<mysql.Connection> {
    const session = await mysql.createConnection({
      socketPath: this.socketFile(server.port),
      user: AGENT_USER,
      password: await this.agentPassword(server),
      ...(database ? { database } : {}),
      connectTimeout: 5000,
    });
    // A server that goes away under a session makes it emit `error`; the query fails with it.
    session.on('error', () => undefined);
    return session;
  }

  /** Removes the server configuration directory of a container (its certificate, agent passwords). */
  async forget(containerId: string): Promise<void> {
    await rm(this.configDir(containerId), { recursive: true, force: true });
  }

  /** The agent's password for a server: made once, in a file only root reads. */
  private async agentPassword(server: MariadbServer): Promise<string> {
    const file = path.join(this.configDir(server.containerId), `${server.sourceId}.mariadb-agent`);
    const stored = (await readFileSafely(file))?.trim();
    if (stored) return stored;
    await this.ensureConfigDir(server);
    const password = randomBytes(24).toString('base64url');
    await writeFileSafely(file, password, { mode: 0o600, owner: { uid: 0, gid: 0 } });
    return password;
  }

  /** `<runDir>/servers/<containerId>`: root's, readable by the server's group (its certificate). */
  private async ensureConfigDir(server: MariadbServer): Promise<string> {
    const dir = this.configDir(server.containerId);
    await mkdir(path.dirname(dir), { recursive: true, mode: 0o711 });
    await mkdir(dir, { recursive: true, mode: 0o750 });
    await chown(dir, 0, server.identity.gid);
    await chmod(dir, 0o750);
    return dir;
  }

  /** Spawns mariadbd as the server's identity; answers a check that tells whether it has exited. */
  private async launch(server: MariadbServer): Promise<() => Promise<boolean>> {
    const { identity } = server;
    const socketDir = this.socketDir(server.port);
    await mkdir(this.runDir, { recursive: true });
    await chmod(this.runDir, 0o711);
    await mkdir(path.dirname(socketDir), { recursive: true, mode: 0o711 });
    await chmod(path.dirname(socketDir), 0o711);
    // The socket, the init file and the server's temporary files: its identity's alone.
    await rm(socketDir, { recursive: true, force: true });
    await mkdir(socketDir, { mode: 0o700 });
    await chown(socketDir, identity.uid, identity.gid);
    const configDir = await this.ensureConfigDir(server);
    const password = await this.agentPassword(server);
    const initFile = path.join(socketDir, 'init.sql');
    const init = initSql(password) + (server.readerHash ? readOnlySql(server.readerHash) : '');
    await writeFileSafely(initFile, init, { mode: 0o400, owner: identity });
    const tls =
      server.tls && this.certificates
        ? await this.certificates.serverCertificate(configDir, identity)
        : null;
    // A clone of a running server carries the source's pid file; it is stale here.
    await rm(path.join(server.dataDir, PID_FILE), { force: true });
    const args = [
      '--no-defaults',
      `--datadir=${server.dataDir}`,
      `--pid-file=${path.join(server.dataDir, PID_FILE)}`,
      `--socket=${this.socketFile(server.port)}`,
      `--tmpdir=${socketDir}`,
      `--init-file=${initFile}`,
      `--port=${server.port}`,
      ...(tls
        ? [
            `--bind-address=${this.listen}`,
            `--ssl-cert=${tls.certFile}`,
            `--ssl-key=${tls.keyFile}`,
            '--require-secure-transport=ON',
          ]
        : ['--skip-networking']),
      '--skip-name-resolve',
      '--skip-symbolic-links',
      '--local-infile=0',
      '--skip-log-bin',
      '--skip-slave-start',
      ...CLONE_TUNING,
    ];
    return spawnTenantServer(await mariadbd(), args, identity, {
      cwd: server.dataDir,
      logFile: this.logFile(server),
    });
  }

  private async waitUntilReady(server: MariadbServer, gone: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await gone()) break;
      if ((await this.state(server.dataDir)).running) {
        const session = await this.adminSession(server).catch(() => null);
        if (session) {
          await session.end().catch(() => undefined);
          return;
        }
      }
      await sleep(READY_POLL_MS);
    }
    throw await serverDidNotStart(
      `mariadbd for ${server.containerId}/${server.sourceId} on port ${server.port}`,
      this.logFile(server),
    );
  }
}

/** Debian installs mariadbd in /usr/sbin, which a tenant's PATH does not hold. */
async function mariadbd(): Promise<string> {
  for (const dir of ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin']) {
    const file = path.join(dir, 'mariadbd');
    if (
      await access(file, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return file;
  }
  throw new AgentFailure(
    500,
    'instance-failed',
    'mariadbd is not installed (apt-get install mariadb-server)',
  );
}

/** Run by mariadbd at start: the agent's account, with this server's password, on the socket only. */
/**
 * Run from the init file, before any client connects: a reader made afresh (a tenant may have
 * made one with more rights in the data it bookmarked), allowed to read and nothing else, every
 * other account but the agent's locked, and the server read-only.
 */
function readOnlySql(readerHash: string): string {
  if (!isNativePasswordHash(readerHash))
    throw new AgentFailure(500, 'instance-failed', 'the reader has no valid mariadb password hash');
  const reader = `'${READER_USER}'@'%'`;
  return [
    `DROP USER IF EXISTS ${reader};`,
    `CREATE USER ${reader} IDENTIFIED BY PASSWORD '${readerHash}' REQUIRE SSL WITH MAX_USER_CONNECTIONS 5 MAX_STATEMENT_TIME 120;`,
    `GRANT SELECT, SHOW VIEW ON *.* TO ${reader};`,
    `UPDATE mysql.global_priv SET Priv = JSON_SET(Priv, '$.account_locked', true) WHERE NOT ((User = '${AGENT_USER}' AND Host = 'localhost') OR (User = '${READER_USER}' AND Host = '%'));`,
    'FLUSH PRIVILEGES;',
    'SET GLOBAL read_only = ON;',
    '',
  ].join('\n');
}

function initSql(password: string): string {
  const user = `'${AGENT_USER}'@'localhost'`;
  return [
    `CREATE USER IF NOT EXISTS ${user};`,
    `ALTER USER ${user} IDENTIFIED BY '${password}' ACCOUNT UNLOCK;`,
    `GRANT ALL PRIVILEGES ON *.* TO ${user} WITH GRANT OPTION;`,
    '',
  ].join('\n');
}
