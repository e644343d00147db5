import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import type { AgentInventory } from '@branchpoint/contracts';

const project = path.resolve(import.meta.dirname, '..');

export const TOKEN = `e2e-${randomBytes(12).toString('hex')}`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run eval "$(bash scripts/setup.sh)" first`);
  return value;
}

/** A scratch root dataset and run directory for one test file, never the dev root. */
export async function scratch(): Promise<{ root: string; runDir: string }> {
  const root = `${required('BP_ZFS_POOL')}/t-agent-${randomBytes(4).toString('hex')}`;
  const runDir = await mkdtemp(path.join(tmpdir(), 'bp-agent-e2e-'));
  return { root, runDir };
}

export interface RunningAgent {
  url: string;
  process: ChildProcess;
  /** Ends the agent; SIGKILL simulates a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node dist/main.js` and waits for its "listening" line. */
export async function startAgent(options: {
  root: string;
  runDir: string;
  ports: string;
  env?: Record<string, string>;
}): Promise<RunningAgent> {
  const child = spawn(process.execPath, [path.join(project, 'dist/main.js')], {
    env: {
      ...process.env,
      BP_AGENT_HOST: '127.0.0.1',
      BP_AGENT_PORT: '0',
      BP_AGENT_TOKEN: TOKEN,
      BP_AGENT_DEV: '0',
      BP_ZFS_ROOT: options.root,
      BP_CLONE_PORTS: options.ports,
      BP_AGENT_RUN_DIR: options.runDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}: ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    process: child,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** An inventory without space numbers, which move on their own (server writes, ZFS settling). */
export function withoutSpace(inventory: AgentInventory) {
  return {
    ...inventory,
    datasets: inventory.datasets.map(
      ({ usedBytes: _used, referencedBytes: _referenced, ...rest }) => rest,
    ),
  };
}

/** A tiny client of the agent API. */
export function client(url: string, token = TOKEN) {
  return async function call<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<Answer<T>> {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

/** A database with a table `items` of `rows` rows in the source cluster; returns its connection string. */
export async function sourceDatabase(
  rows: number,
): Promise<{ name: string; connectionString: string; drop(): Promise<void> }> {
  const admin = required('BP_SOURCE_ADMIN_URL');
  const name = `agent_e2e_${randomBytes(4).toString('hex')}`;
  await withClient(admin, (db) => db.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const connectionString = url.toString();
  await withClient(connectionString, async (db) => {
    await db.query('CREATE TABLE items (id int PRIMARY KEY, label text)');
    await db.query("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, $1) g", [
      rows,
    ]);
  });
  return {
    name,
    connectionString,
    drop: () =>
      withClient(admin, (db) => db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export async function withClient<T>(
  connectionString: string | pg.ClientConfig,
  work: (db: pg.Client) => Promise<T>,
): Promise<T> {
  const db = new pg.Client(
    typeof connectionString === 'string' ? { connectionString } : connectionString,
  );
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** A query over TCP against a clone, as the container's login role with its password. */
export function cloneQuery(port: number, database: string, password: string) {
  return async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    return withClient(
      { host: '127.0.0.1', port, user: 'branchpoint', password, database },
      async (db) => (await db.query<T>(sql, params)).rows,
    );
  };
}

/** Stops every postgres server whose data directory is under the root's mountpoint, then destroys the root. */
export async function cleanup(root: string, runDir: string): Promise<void> {
  const mountpoint = (
    await execa('zfs', ['get', '-H', '-o', 'value', 'mountpoint', root], { reject: false })
  ).stdout.trim();
  if (mountpoint.startsWith('/')) {
    for (const pid of await readdir('/proc').then((names) =>
      names.filter((name) => /^\d+$/.test(name)),
    )) {
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
      const cmd = await readlink(`/proc/${pid}/exe`).catch(() => '');
      if (cwd.startsWith(`${mountpoint}/`) && cmd.includes('postgres')) {
        try {
          process.kill(Number(pid), 'SIGQUIT');
        } catch {
          // already gone
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const exists = await execa('zfs', ['list', '-H', '-o', 'name', root], { reject: false });
    if (exists.exitCode !== 0) break;
    await execa('zfs', ['destroy', '-r', '-R', root], { reject: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await rm(runDir, { recursive: true, force: true });
}
