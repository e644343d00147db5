import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

/** One namespace of a set made by scripts/lib/netns.sh: where an agent runs with its own address. */
export interface NamespaceHost {
  namespace: string;
  /** Its address on the set's bridge, e.g. `10.213.0.2`. */
  address: string;
  /** The root namespace's end of its veth: down cuts the namespace off (a partition). */
  veth: string;
}

export interface Network {
  /** The bridge's address in the root namespace. */
  gateway: string;
  hosts: NamespaceHost[];
  /** Removes the namespaces, veths and bridge. */
  remove(): void;
}

const NETNS = join(REPO_ROOT, 'scripts/lib/netns.sh');

/**
 * Makes `count` network namespaces `bp-<set>-<i>` on a private /24 of their own (see
 * scripts/lib/netns.sh; sets left by exited processes are removed first). Needs root.
 */
export function createNetwork(set: string, count: number): Network {
  const output = execFileSync('bash', [NETNS, 'up', set, String(count), String(process.pid)], {
    encoding: 'utf8',
  });
  let gateway = '';
  const hosts: NamespaceHost[] = [];
  for (const line of output.trim().split('\n')) {
    const [kind, ...fields] = line.split(' ');
    if (kind === 'gateway') gateway = fields[0] ?? '';
    if (kind === 'host')
      hosts.push({ namespace: fields[1]!, address: fields[2]!, veth: fields[3]! });
  }
  return {
    gateway,
    hosts,
    remove: () => execFileSync('bash', [NETNS, 'down', set], { stdio: 'pipe' }),
  };
}

/** Cuts a namespace off (`up: false`, the link goes down) or connects it again. */
export function setLink(host: NamespaceHost, up: boolean): void {
  execFileSync('ip', ['link', 'set', host.veth, up ? 'up' : 'down'], { stdio: 'pipe' });
}

/** The command line that runs `argv` inside a namespace (its network only; see netns.sh). */
export function inNamespace(namespace: string, argv: string[]): string[] {
  return ['nsenter', `--net=/run/netns/${namespace}`, ...argv];
}

/**
 * Makes `127.0.0.1:<port>` inside each namespace reach the same port on this machine's loopback
 * (source databases for ingest), through scripts/lib/netns-relay.mjs; stop the process it
 * returns when done.
 */
export async function startRelay(namespaces: string[], ports: number[]): Promise<ChildProcess> {
  const relay = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'scripts/lib/netns-relay.mjs'),
      ...namespaces.flatMap((ns) => ['--ns', ns]),
      ...ports.flatMap((port) => ['--port', String(port)]),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: relay.stdout! });
  await new Promise<void>((resolve, reject) => {
    relay.once('exit', (code) => reject(new Error(`netns relay exited with ${code}`)));
    lines.once('line', () => resolve());
  });
  return relay;
}

/** Creates a sparse file-backed pool `name` of `size` (e.g. `2G`) mounted at `mountpoint`. */
export function createPool(name: string, image: string, mountpoint: string, size: string): void {
  execFileSync('truncate', ['-s', size, image]);
  execFileSync('zpool', ['create', '-o', 'cachefile=none', '-m', mountpoint, name, image], {
    stdio: 'pipe',
  });
}

/** Destroys a pool made by createPool (zfs-fuse says busy for a moment after the last unmount). */
export function destroyPool(name: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      execFileSync('zpool', ['destroy', '-f', name], { stdio: 'pipe' });
      return;
    } catch (error) {
      const listed = (() => {
        try {
          execFileSync('zpool', ['list', '-H', '-o', 'name', name], { stdio: 'pipe' });
          return true;
        } catch {
          return false;
        }
      })();
      if (!listed) return;
      if (attempt >= 20) throw error;
      execFileSync('sleep', ['1']);
    }
  }
}
