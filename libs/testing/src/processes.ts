import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts `node <script>` with the environment given, output appended to `logFile`; `launcher`
 * goes before node (e.g. `nsenter --net=…`, which replaces itself with node, same pid).
 */
export function startNode(
  script: string,
  env: Record<string, string>,
  logFile: string,
  launcher: string[] = [],
): ChildProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const [command, ...args] = [...launcher, process.execPath, script];
  const child = spawn(command!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** Resolves once `url` answers 200; fails early when the process exits, naming its log. */
export async function waitForHealth(
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs = 60_000,
  fetchFn: (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean }> = fetch,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `process exited with ${child.exitCode} before ${url} was healthy; log:\n${tail(logFile)}`,
      );
    try {
      if ((await fetchFn(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms; log:\n${tail(logFile)}`);
}

/** Sends SIGTERM, then SIGKILL if the process has not exited after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops (immediate shutdown) PostgreSQL servers whose data directory lies below `directory`. */
export function stopPostgresBelow(directory: string): number {
  let stopped = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const dataDir = args[args.indexOf('-D') + 1];
      if (
        args.indexOf('-D') >= 0 &&
        dataDir?.startsWith(`${directory}/`) &&
        /postgres$/.test(args[0] ?? '')
      ) {
        process.kill(Number(pid), 'SIGQUIT');
        stopped++;
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return stopped;
}

/** Whether `output` (a built file) is missing or older than any `.ts` file below `sourceDir`. */
export function isStale(output: string, sourceDir: string): boolean {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return newer(path);
      return (
        entry.name.endsWith('.ts') &&
        !entry.name.endsWith('.spec.ts') &&
        statSync(path).mtimeMs > built
      );
    });
  return newer(sourceDir);
}

function tail(file: string, lines = 40): string {
  return existsSync(file)
    ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
    : '(no log)';
}
