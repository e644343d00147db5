import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { Agent as Dispatcher, fetch as undiciFetch, type RequestInit } from 'undici';
import { expect } from 'vitest';
import type {
  AgentError,
  AgentInventory,
  ContainerStatus,
  TemplateVersionStatus,
} from '@branchpoint/contracts';

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
  /** `https://127.0.0.1:<port>`, from the listening line. */
  url: string;
  /** The certificate's SHA-256 as the listening line names it. */
  fingerprint: string;
  /** A fetch that trusts this agent's certificate (and nothing else self-signed). */
  fetch: AgentFetch;
  process: ChildProcess;
  /** Ends the agent; SIGKILL simulates a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export type AgentFetch = (url: string, init?: RequestInit) => ReturnType<typeof undiciFetch>;

/** A fetch that verifies the agent against its own certificate file, as a trusted root. */
export async function trustingFetch(certFile: string): Promise<AgentFetch> {
  const dispatcher = new Dispatcher({ connect: { ca: await readFile(certFile, 'utf8') } });
  return (url, init) => undiciFetch(url, { ...init, dispatcher });
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
  const [url, fingerprint] = await new Promise<[string, string]>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https:\/\/\S+) \(certificate sha256 ([0-9A-F:]+)/.exec(output);
      if (match?.[1] && match[2]) resolve([match[1], match[2]]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}: ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const certFile =
    options.env?.['BP_AGENT_TLS_CERT'] ?? path.join(options.runDir, 'tls', 'agent.crt');
  return {
    url,
    fingerprint,
    fetch: await trustingFetch(certFile),
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

export type AgentCall = ReturnType<typeof client>;

/** A tiny client of the agent API. */
export function client(agent: Pick<RunningAgent, 'url' | 'fetch'>, token = TOKEN) {
  return async function call<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<Answer<T>> {
    const response = await agent.fetch(`${agent.url}${route}`, {
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

export interface SourceDatabase {
  name: string;
  connectionString: string;
  drop(): Promise<void>;
}

/** A database with a table `items` of `rows` rows in the source cluster; returns its connection string. */
export async function sourceDatabase(rows: number): Promise<SourceDatabase> {
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

/** A table `customers` of `count` people with real-looking emails in the source; returns the emails. */
export async function customers(source: SourceDatabase, count: number): Promise<string[]> {
  return withClient(source.connectionString, async (db) => {
    await db.query('CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL)');
    const { rows } = await db.query<{ email: string }>(
      "INSERT INTO customers SELECT g, 'person' || g || '@real-company.com' FROM generate_series(1, $1) g RETURNING email",
      [count],
    );
    return rows.map((row) => row.email);
  });
}

export type CloneQuery = ReturnType<typeof cloneQuery>;

// The clone CA of the agent that runs now (its run directory's tls/clone-ca.crt).
let cloneCa: string | undefined;

/** TLS options that verify a clone server against the running agent's clone CA. */
export function cloneTls(): pg.ClientConfig['ssl'] {
  if (!cloneCa) throw new Error('no agent has started yet: no clone CA to verify with');
  return { ca: cloneCa, rejectUnauthorized: true };
}

/** Connection settings of a clone over TCP and verified TLS, as the container's owner role. */
export function cloneConnection(
  port: number,
  database: string,
  password: string,
  user = 'branchpoint',
): pg.ClientConfig {
  return { host: '127.0.0.1', port, user, password, database, ssl: cloneTls() };
}

/** A query over TCP against a clone, as the container's login role with its password. */
export function cloneQuery(port: number, database: string, password: string) {
  return async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    return withClient(
      cloneConnection(port, database, password),
      async (db) => (await db.query<T>(sql, params)).rows,
    );
  };
}

/** Stops every database server whose data directory is under the root's mountpoint, then destroys the root. */
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
      const server = cmd.includes('postgres')
        ? 'SIGQUIT'
        : cmd.includes('mariadbd')
          ? 'SIGKILL'
          : null;
      if (cwd.startsWith(`${mountpoint}/`) && server) {
        try {
          process.kill(Number(pid), server);
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
    // zfs-fuse may go on calling the root busy while a dataset below it stays mounted: from the
    // second attempt on, every one is unmounted first, deepest first.
    if (attempt > 0) await unmountTree(root);
    await execa('zfs', ['destroy', '-r', '-R', root], { reject: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await rm(runDir, { recursive: true, force: true });
}

async function unmountTree(root: string): Promise<void> {
  const listed = await execa('zfs', ['list', '-H', '-r', '-t', 'filesystem', '-o', 'name', root], {
    reject: false,
  });
  for (const dataset of listed.stdout.split('\n').filter(Boolean).reverse())
    await execa('zfs', ['unmount', dataset], { reject: false });
}

/** A running agent on a scratch root with one source database, as most suites start. */
export interface World {
  root: string;
  /** The agent's run directory (sockets, logs, TLS, server configuration). */
  runDir: string;
  source: SourceDatabase;
  /** The template that `ingest` fills from the source. */
  templateId: string;
  /** The id of the source in the template and in containers of it. */
  sourceId: string;
  /** A client of whichever agent runs now, so it outlives `crashAndRestart`. */
  call: AgentCall;
  /** Ingests the source into a version of the template; answers what the agent answered. */
  ingest(
    version: string,
    hooks?: Record<string, unknown>,
  ): Promise<Answer<TemplateVersionStatus & AgentError>>;
  /** Kills the agent as a crash would, runs `whileDown`, and starts it again on the same root and ports. */
  crashAndRestart(whileDown?: () => Promise<void>): Promise<void>;
  /** Stops the agent, then removes the root, the run directory and the source database. */
  stop(): Promise<void>;
}

/** Creates a source database of `rows` items and starts an agent on a scratch root with the clone `ports`. */
export async function startWorld(options: {
  ports: string;
  rows: number;
  templateId: string;
  sourceId?: string;
  /** A display name of the source, which hooks see and report. */
  sourceName?: string;
  env?: Record<string, string>;
}): Promise<World> {
  const { ports, rows, templateId, sourceId = 'app-db', sourceName, env } = options;
  const { root, runDir } = await scratch();
  const start = () => startAgent({ root, runDir, ports, env });
  let source: SourceDatabase | undefined;
  let agent: RunningAgent | undefined;
  const stop = async () => {
    await agent?.stop();
    await cleanup(root, runDir);
    await source?.drop();
  };
  try {
    source = await sourceDatabase(rows);
    agent = await start();
    cloneCa = await readFile(path.join(runDir, 'tls', 'clone-ca.crt'), 'utf8');
  } catch (error) {
    await stop();
    throw error;
  }
  const { connectionString } = source;
  const call: AgentCall = <T>(method: string, route: string, body?: unknown) =>
    client(agent!)<T>(method, route, body);
  return {
    root,
    runDir,
    source,
    templateId,
    sourceId,
    call,
    ingest: (version, hooks) =>
      call('PUT', `/v1/templates/${templateId}/versions/${version}`, {
        sources: [
          {
            id: sourceId,
            ...(sourceName === undefined ? {} : { name: sourceName }),
            kind: 'postgres',
            connectionString,
          },
        ],
        ...(hooks === undefined ? {} : { hooks }),
      }),
    async crashAndRestart(whileDown) {
      await agent?.stop('SIGKILL');
      await whileDown?.();
      agent = await start();
    },
    stop,
  };
}

/** What `activeContainer` answers: the container's status and its first endpoint's port and query. */
export interface ActiveContainer {
  status: ContainerStatus;
  port: number;
  query: CloneQuery;
}

/**
 * Creates a container of the world's source with a branch `main` from version v1 of the template
 * and activates it, expecting 200 from each step; `settings` add to (or replace) the fields of the
 * container's PUT body.
 */
export async function activeContainer(
  world: World,
  options: { containerId: string; password: string; settings?: Record<string, unknown> },
): Promise<ActiveContainer> {
  const { containerId, password, settings } = options;
  const container = `/v1/containers/${containerId}`;
  const succeed = async <T>(route: string, body: unknown): Promise<T> => {
    const answer = await world.call<T>('PUT', route, body);
    expect(answer.status, `PUT ${route}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  };
  await succeed(container, {
    sources: [{ id: world.sourceId, kind: 'postgres' }],
    password,
    ...settings,
  });
  await succeed(`${container}/branches/main`, {
    origin: { kind: 'template', templateId: world.templateId, version: 'v1' },
  });
  const status = await succeed<ContainerStatus>(`${container}/active`, { branchId: 'main' });
  const port = status.endpoints[0]?.port;
  if (typeof port !== 'number')
    throw new Error(`${containerId} has no port: ${JSON.stringify(status)}`);
  return { status, port, query: cloneQuery(port, world.source.name, password) };
}

/** The mountpoint of a dataset. */
export async function mountpointOf(dataset: string): Promise<string> {
  return (await execa('zfs', ['get', '-H', '-o', 'value', 'mountpoint', dataset])).stdout.trim();
}

/** Every regular file under `dir` (links not followed) whose bytes contain `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  const wanted = Buffer.from(needle);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesContaining(file, needle)));
    else if (entry.isFile() && (await readFile(file)).includes(wanted)) found.push(file);
  }
  return found;
}
