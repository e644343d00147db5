import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  open,
  readFile,
  readdir,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';

// For specs only: a real PostgreSQL cluster in a temp directory, run by a scratch uid (servers
// refuse root), reachable on a socket only. The bootstrap superuser gets in by trust on the
// socket: acceptable for a throwaway test cluster, never for the agent's servers.

export const PG_BIN = process.env['BP_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** Why a throwaway cluster cannot be made here, or null when it can. */
export function clusterUnavailable(): string | null {
  if (!existsSync(path.join(PG_BIN, 'initdb'))) return `no initdb in ${PG_BIN}`;
  if (process.getuid?.() !== 0) return 'needs root to run the server as a scratch uid';
  if (!initdbUser()) return 'no postgres OS user to run initdb as';
  return null;
}

/** initdb wants a passwd entry (the agent's tenant uids have none): the postgres OS user's ids. */
function initdbUser(): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
}

let nextUid = 2_999_000 + (process.pid % 500) * 2;

export class ThrowawayCluster {
  readonly dataDir: string;
  readonly socketDir: string;
  readonly user: { uid: number; gid: number };
  private server: ChildProcess | null = null;

  private constructor(
    readonly root: string,
    readonly bootstrap: string,
    uid: number,
  ) {
    this.dataDir = path.join(root, 'data');
    this.socketDir = path.join(root, 'socket');
    this.user = { uid, gid: uid };
  }

  /** initdb with `bootstrap` as the bootstrap superuser; `hba` replaces pg_hba.conf. */
  static async create(bootstrap: string, hba?: string): Promise<ThrowawayCluster> {
    const root = await mkdtemp(path.join(tmpdir(), 'bp-cluster-'));
    await chmod(root, 0o711);
    const cluster = new ThrowawayCluster(root, bootstrap, nextUid++);
    const { uid, gid } = cluster.user;
    const initdb = initdbUser()!;
    await mkdir(cluster.dataDir, { mode: 0o700 });
    await chown(cluster.dataDir, initdb.uid, initdb.gid);
    await execa(
      path.join(PG_BIN, 'initdb'),
      ['-D', cluster.dataDir, '-U', bootstrap, '--auth=trust', '--no-locale', '-E', 'UTF8', '-N'],
      {
        ...initdb,
        cwd: root,
        env: { LANG: 'C', PATH: process.env['PATH'] ?? '' },
        extendEnv: false,
      },
    );
    // From here on the cluster belongs to a uid with no passwd entry, like a tenant's.
    await execa('chown', ['-R', `${uid}:${gid}`, cluster.dataDir]);
    await mkdir(cluster.socketDir, { mode: 0o700 });
    await chown(cluster.socketDir, uid, gid);
    if (hba !== undefined) await writeFile(path.join(cluster.dataDir, 'pg_hba.conf'), hba);
    return cluster;
  }

  /** Starts the server and waits until it takes connections. */
  async start(): Promise<void> {
    const log = await open(path.join(this.root, 'server.log'), 'a');
    try {
      this.server = spawn(
        path.join(PG_BIN, 'postgres'),
        ['-D', this.dataDir, '-k', this.socketDir, '-c', 'listen_addresses=', '-c', 'fsync=off'],
        {
          uid: this.user.uid,
          gid: this.user.gid,
          cwd: this.root,
          stdio: ['ignore', log.fd, log.fd],
        },
      );
    } finally {
      await log.close();
    }
    const deadline = Date.now() + 20_000;
    for (;;) {
      const client = this.client();
      try {
        await client.connect();
        await client.end();
        return;
      } catch (error) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline || this.server.exitCode !== null)
          throw new Error(`test cluster did not start: ${String(error)}\n${await this.log()}`, {
            cause: error,
          });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Fast shutdown (a clean stop: it ends with a checkpoint). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');
    await exited;
  }

  /** A client that is not connected yet (call connect). */
  client(database = 'postgres', user = this.bootstrap, password?: string): pg.Client {
    return new pg.Client({ host: this.socketDir, port: 5432, user, database, password });
  }

  /** A connected session. */
  async connect(database = 'postgres', user = this.bootstrap): Promise<pg.Client> {
    const client = this.client(database, user);
    await client.connect();
    return client;
  }

  /** The files under the data directory whose bytes contain any of `needles`, relative to it. */
  async filesContaining(...needles: string[]): Promise<string[]> {
    const patterns = needles.map((needle) => Buffer.from(needle, 'utf8'));
    const entries = await readdir(this.dataDir, { withFileTypes: true, recursive: true });
    const hits: string[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      const bytes = await readFile(file);
      if (patterns.some((pattern) => bytes.includes(pattern)))
        hits.push(path.relative(this.dataDir, file));
    }
    return hits.sort();
  }

  log(): Promise<string> {
    return readFile(path.join(this.root, 'server.log'), 'utf8').catch(() => '');
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.root, { recursive: true, force: true });
  }
}
