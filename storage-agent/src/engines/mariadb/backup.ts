import { chmod, chown, lstat, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import mysql from 'mysql2/promise';
import { AgentFailure } from '../../common/agent-failure.js';
import { waitForExit } from '../../common/processes.js';
import { writeFileSafely } from '../../common/safe-files.js';
import { tenantEnv, type OsIdentity } from '../../identity/os-identity.js';
import { ensureOwnedBy } from '../../identity/ownership.js';
import type { MariadbConnection } from './connection-string.js';

const BACKUP = 'mariadb-backup';

/**
 * A physical copy of a live MariaDB server into `dataDir` (empty): `mariadb-backup --backup`
 * (as root: it reads the server's data directory, so the source runs on this host), then the
 * copy becomes the template's identity's and `--prepare` (as that identity) makes it a data
 * directory a server starts on. The password travels in a defaults file only root reads, never
 * in the argument list. Progress: bytes copied against the size of the source's data directory.
 */
export async function mariadbBackup(
  connection: MariadbConnection,
  dataDir: string,
  owner: OsIdentity,
  onProgress: (percent: number) => void,
): Promise<void> {
  const sourceDir = await sourceDataDir(connection);
  const total = sourceDir ? await treeBytes(sourceDir) : 0;
  await chown(dataDir, 0, 0);
  await chmod(dataDir, 0o700);
  const private_ = await mkdtemp(path.join(tmpdir(), 'bp-mariadb-backup-'));
  try {
    const defaults = path.join(private_, 'client.cnf');
    await writeFileSafely(defaults, clientOptions(connection), { mode: 0o600 });
    const poll = setInterval(() => {
      if (total > 0)
        void treeBytes(dataDir).then((copied) =>
          onProgress(Math.min(90, Math.floor((copied / total) * 90))),
        );
    }, 500);
    try {
      await runBackup(
        [`--defaults-file=${defaults}`, '--backup', `--target-dir=${dataDir}`, '--parallel=2'],
        null,
      );
    } finally {
      clearInterval(poll);
    }
  } finally {
    await rm(private_, { recursive: true, force: true });
  }
  onProgress(90);
  await ensureOwnedBy(dataDir, owner);
  await runBackup(['--no-defaults', '--prepare', `--target-dir=${dataDir}`], owner);
  onProgress(100);
}

/**
 * Ends a mariadb-backup still writing into `dataDir` (left behind by an agent killed
 * mid-ingest), so a repeated ingest starts from an empty directory.
 */
export async function stopStaleBackups(dataDir: string): Promise<void> {
  const stale: number[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (path.basename(argv[0] ?? '') === BACKUP && argv.includes(`--target-dir=${dataDir}`))
      stale.push(Number(pid));
  }
  for (const pid of stale) process.kill(pid, 'SIGTERM');
  for (const pid of stale) await waitForExit(pid, 10_000);
}

async function runBackup(args: string[], as: OsIdentity | null): Promise<void> {
  const result = await execa(BACKUP, args, {
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    ...(as
      ? { uid: as.uid, gid: as.gid, env: tenantEnv(as) }
      : { env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' } }),
  });
  if (result.exitCode === 0) return;
  const reason =
    String(result.stderr)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !/^\[\d+\] .*(Copying|\.\.\.done)/.test(line))
      .pop() ?? `exit code ${result.exitCode}`;
  const step = args.includes('--prepare') ? '--prepare' : '--backup';
  throw new AgentFailure(502, 'ingest-failed', `mariadb-backup ${step} failed: ${reason}`);
}

/** `[client]` options for mariadb-backup, values quoted as option files want them. */
function clientOptions(connection: MariadbConnection): string {
  const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [
    '[client]',
    `host=${quote(connection.host)}`,
    `port=${connection.port}`,
    `user=${quote(connection.user)}`,
    ...(connection.password === null ? [] : [`password=${quote(connection.password)}`]),
  ];
  return `${lines.join('\n')}\n`;
}

/** The source server's data directory, for progress (null when it cannot be asked). */
async function sourceDataDir(connection: MariadbConnection): Promise<string | null> {
  let session: mysql.Connection | null = null;
  try {
    session = await mysql.createConnection({
      host: connection.host,
      port: connection.port,
      user: connection.user,
      ...(connection.password === null ? {} : { password: connection.password }),
      connectTimeout: 10_000,
    });
    session.on('error', () => undefined);
    const [rows] = await session.query<mysql.RowDataPacket[]>('SELECT @@datadir AS dir');
    const dir = rows[0]?.['dir'];
    return typeof dir === 'string' ? dir : null;
  } catch (error) {
    throw new AgentFailure(
      502,
      'ingest-failed',
      `cannot reach the mariadb source at ${connection.host}:${connection.port} as ${connection.user}: ${(error as Error).message}`,
    );
  } finally {
    await session?.end().catch(() => undefined);
  }
}

/** Bytes of the regular files below `dir`, without following links. */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    total += (await lstat(path.join(entry.parentPath, entry.name)).catch(() => null))?.size ?? 0;
  }
  return total;
}
