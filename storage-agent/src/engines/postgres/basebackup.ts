import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { AgentFailure } from '../../common/agent-failure.js';
import { parseConnectionString } from './connection-string.js';
import { tenantEnv, type OsIdentity } from '../../identity/os-identity.js';

/** `  1234/56789 kB (2%), 0/1 tablespace …` -> 2. */
export function parseBasebackupProgress(line: string): number | null {
  const match = /(\d+)\/(\d+) kB \((\d+)%\)/.exec(line);
  return match ? Math.min(100, Number(match[3])) : null;
}

/**
 * Copies a running PostgreSQL cluster into `dataDir` (empty, owned by `user`) with
 * `pg_basebackup -X stream`, as the template's OS identity. The password travels in PGPASSWORD, never in the argument list.
 */
export async function basebackup(
  pgBin: string,
  connectionString: string,
  dataDir: string,
  user: OsIdentity,
  onProgress: (percent: number) => void,
): Promise<void> {
  const connection = parseConnectionString(connectionString);
  const args = [
    '-D',
    dataDir,
    '-X',
    'stream',
    '--checkpoint=fast',
    '--progress',
    '--no-password',
    '-d',
    connection.conninfo,
  ];
  const child = execa(path.join(pgBin, 'pg_basebackup'), args, {
    reject: false,
    stdin: 'ignore',
    uid: user.uid,
    gid: user.gid,
    extendEnv: false,
    env: tenantEnv(user, connection.password === null ? {} : { PGPASSWORD: connection.password }),
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-2000);
    for (const line of text.split(/[\r\n]/)) {
      const percent = parseBasebackupProgress(line);
      if (percent !== null) onProgress(percent);
    }
  });
  const result = await child;
  if (result.exitCode !== 0) {
    const reason =
      tail
        .split(/[\r\n]/)
        .filter((line) => line.trim() && parseBasebackupProgress(line) === null)
        .pop() ?? `exit code ${result.exitCode}`;
    throw new AgentFailure(502, 'ingest-failed', `pg_basebackup failed: ${reason}`);
  }
}

/**
 * Ends a pg_basebackup still copying into `dataDir` (left behind by an agent killed mid-ingest),
 * so a repeated ingest starts from an empty directory.
 */
export async function stopStaleBasebackups(dataDir: string): Promise<void> {
  const stale: number[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const target = argv[argv.indexOf('-D') + 1];
    if (
      path.basename(argv[0] ?? '') === 'pg_basebackup' &&
      argv.includes('-D') &&
      target === dataDir
    )
      stale.push(Number(pid));
  }
  for (const pid of stale) process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && stale.some(isAlive); waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
