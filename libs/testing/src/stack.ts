import { api as rest } from '@branchpoint/api-client';
import type { AgentInventory } from '@branchpoint/contracts';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { trustingFetch, type AgentFetch } from './agent-fetch.js';
import { ApiClient } from './api-client.js';
import {
  createNetwork,
  createPool,
  destroyPool,
  inNamespace,
  setLink,
  startRelay,
  type NamespaceHost,
  type Network,
} from './network.js';
import { REPO_ROOT } from './paths.js';
import {
  freePort,
  isStale,
  startNode,
  stopPostgresBelow,
  stopProcess,
  waitForHealth,
} from './processes.js';

export { REPO_ROOT } from './paths.js';

export interface StackOptions {
  /** Short label in dataset, database and key names, e.g. `backend` or `frontend`. */
  project: string;
  /** Clone ports the agent may use, e.g. `{ first: 56600, last: 56999 }`. */
  clonePorts: { first: number; last: number };
  /** The control plane's port; a free one when not given. */
  port?: number;
  adminPassword?: string;
  /** Served at `/` by the control plane (the built frontend). */
  uiDir?: string;
  /** Extra environment for the control plane. */
  backendEnv?: Record<string, string>;
  /** The ZFS pool the stack's root dataset goes below (default: BP_ZFS_POOL). */
  pool?: string;
  /** Extra environment for the agent, on every (re)start. */
  agentEnv?: Record<string, string>;
  /** Build the agent and control plane first when their dist/ is missing or older than src/ (default true). */
  build?: boolean;
  /**
   * Storage agents to start, each in a network namespace of its own (`https://<address>:7070`,
   * clone servers on `<address>`), the second and later ones on a file-backed pool of their
   * own (`poolSize`, default `2G`), all registered as hosts. Without it: one agent on
   * 127.0.0.1, as before. Needs root.
   */
  hosts?: number;
  poolSize?: string;
  /**
   * Ports of this machine's loopback reachable at 127.0.0.1 inside the namespaces too (with
   * `hosts`); the port of BP_SOURCE_ADMIN_URL always is, so templates ingest as usual.
   */
  relayPorts?: number[];
}

/** One storage agent of the stack, registered as a host. */
export interface StackHost {
  /** `agent-<suffix>` for the first, then `agent-<suffix>-2` … */
  name: string;
  /** The host's id in the API. */
  id: string;
  url: string;
  token: string;
  zfsRoot: string;
  /** The pool its root is in. */
  pool: string;
  readonly fingerprint: string;
  readonly fetch: AgentFetch;
  /** Its network namespace (with `hosts`): address, namespace and veth names. */
  namespace?: NamespaceHost;
  /** Stops the agent and starts it again (same port, root and run directory); `env` adds to its environment. */
  restart(env?: Record<string, string>): Promise<void>;
  /** Cuts its namespace's link (a partition; the agent keeps running) — `hosts` stacks only. */
  disconnect(): void;
  /** Brings the link back up. */
  reconnect(): void;
}

export interface Stack {
  /** `http://127.0.0.1:<port>`: the UI and socket.io. */
  baseUrl: string;
  /** `<baseUrl>/api/v1`. */
  apiUrl: string;
  /** `https://127.0.0.1:<port>`. */
  agentUrl: string;
  agentToken: string;
  /** SHA-256 of the certificate the agent serves now (`AB:CD:…`), what the host pins. */
  readonly agentFingerprint: string;
  /** A fetch that trusts the certificate the agent serves now, for calling it directly. */
  readonly agentFetch: AgentFetch;
  zfsRoot: string;
  databaseUrl: string;
  queuePrefix: string;
  adminPassword: string;
  adminToken: string;
  /** The registered host (the first agent). */
  hostId: string;
  /** Every agent, the first one first (`agentUrl`, `hostId` … are the first one's). */
  hosts: StackHost[];
  /** With `hosts`: the bridge's address, what the namespaces reach this machine at. */
  gateway?: string;
  /** The API as admin; `api.as(token)` for others. */
  api: ApiClient;
  logDir: string;
  /**
   * Stops the agent and starts it again on the same port, root and run directory; `env` adds to
   * its environment, e.g. `BP_AGENT_TLS_CERT`/`BP_AGENT_TLS_KEY` to serve another certificate.
   */
  restartAgent(env?: Record<string, string>): Promise<void>;
  /**
   * Stops the control plane (SIGKILL simulates a crash), unless it already stopped, and starts
   * it again on the same port and database; `whileStopped` runs in between (e.g. to drop the
   * metadata database); `env` changes its environment from then on (e.g. a new BP_SECRET_KEY).
   */
  restartBackend(
    signal?: NodeJS.Signals,
    whileStopped?: () => Promise<void>,
    env?: Record<string, string>,
  ): Promise<void>;
  /** Starts another control plane on the same database and Redis (extra environment, e.g. `BP_ROLE`); returns its base URL. */
  startReplica(env?: Record<string, string>): Promise<string>;
  /** Creates a user (through the API) and returns its id and token. */
  createUser(
    username: string,
    role?: 'admin' | 'user',
  ): Promise<{ id: string; token: string; api: ApiClient }>;
  /** Stops both processes and every clone server, destroys the dataset, database and Redis keys. */
  stop(): Promise<void>;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run eval "$(bash scripts/setup.sh)" first`);
  return value;
}

function buildIfStale(project: string): void {
  const dir = join(REPO_ROOT, project);
  if (isStale(join(dir, 'dist/main.js'), join(dir, 'src'))) {
    execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.build.json')],
      { stdio: 'inherit' },
    );
  }
}

/**
 * Starts a throw-away stack for tests: its own ZFS root `<pool>/t-<project>-<random>`, metadata
 * database and Redis prefix, the built storage agent and control plane as child processes,
 * then logs in as admin and registers the agent as a host. Always call `stop()` (also on failure).
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const suffix = randomBytes(4).toString('hex');
  const id = `${options.project.replace(/[^a-z0-9]/g, '')}-${suffix}`;
  const pool = options.pool ?? requiredEnv('BP_ZFS_POOL');
  const baseDatabaseUrl = requiredEnv('DATABASE_URL');
  const redisUrl = requiredEnv('REDIS_URL');
  const databaseName = `bp_t_${id.replace(/-/g, '_')}`;
  const databaseUrl = withDatabase(baseDatabaseUrl, databaseName);
  const queuePrefix = `bp-t-${id}`;
  const logDir = join(tmpdir(), `bp-stack-${id}`);
  const agentToken = randomBytes(24).toString('hex');
  const adminPassword = options.adminPassword ?? `stack-root-${suffix}`;
  mkdirSync(logDir, { recursive: true });

  if (options.build !== false) {
    buildIfStale('storage-agent');
    buildIfStale('backend');
  }

  let backend: ChildProcess | undefined;
  const replicas: ChildProcess[] = [];
  const agents: AgentRun[] = [];
  const pools: string[] = [];
  let network: Network | undefined;
  let relay: ChildProcess | undefined;
  let databaseCreated = false;
  const eachAgent = (step: (agent: AgentRun) => Promise<unknown>) => async () => {
    for (const agent of agents)
      await step(agent).catch((error: unknown) =>
        console.error(`stack cleanup, agent ${agent.url}: ${String(error)}`),
      );
  };
  // In this order: nothing may run jobs while the agents' containers are taken apart.
  const stop = async (): Promise<void> => {
    const steps: [string, () => Promise<unknown>][] = [
      ['reconnect hosts', async () => network?.hosts.forEach((host) => setLink(host, true))],
      [
        'stop control plane',
        async () => Promise.all([backend, ...replicas].map((child) => child && stopProcess(child))),
      ],
      [
        'release bookmark holds',
        eachAgent(
          async (agent) =>
            databaseCreated && agent.process && releaseHolds(databaseUrl, agent, agentToken),
        ),
      ],
      [
        'delete containers',
        eachAgent(async (agent) => agent.process && deleteAgentContainers(agent, agentToken)),
      ],
      ['stop agents', eachAgent(async (agent) => agent.process && stopProcess(agent.process))],
      ['destroy datasets', eachAgent(async (agent) => destroyDataset(agent.zfsRoot))],
      ['destroy pools', async () => pools.forEach(destroyPool)],
      ['stop relay', async () => relay && stopProcess(relay)],
      ['remove namespaces', async () => network?.remove()],
      ['delete Redis keys', () => deleteKeys(redisUrl, queuePrefix)],
      [
        'drop database',
        async () =>
          databaseCreated &&
          adminQuery(baseDatabaseUrl, `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`),
      ],
    ];
    for (const [name, step] of steps)
      await step().catch((error: unknown) =>
        console.error(`stack cleanup, ${name}: ${String(error)}`),
      );
  };

  try {
    await adminQuery(baseDatabaseUrl, `CREATE DATABASE "${databaseName}"`);
    databaseCreated = true;

    const agentBase = {
      ...inherited(),
      BP_AGENT_TOKEN: agentToken,
      BP_PG_BIN: process.env['BP_PG_BIN'] ?? '/usr/lib/postgresql/15/bin',
      BP_CLONE_PORTS: `${options.clonePorts.first}-${options.clonePorts.last}`,
      // OS identities of a block of the stack's own (one of 1,000 above the default range),
      // so tenants of two stacks running at once are not the same uid.
      BP_TENANT_UIDS: ((first) => `${first}-${first + 999}`)(
        4_000_000 + (parseInt(suffix, 16) % 1000) * 1000,
      ),
      ...options.agentEnv,
    };
    if (options.hosts === undefined) {
      const agentPort = await freePort();
      agents.push(
        agentRun(logDir, 1, `${pool}/t-${id}`, {
          ...agentBase,
          BP_AGENT_HOST: '127.0.0.1',
          BP_AGENT_PORT: String(agentPort),
        }),
      );
    } else {
      // Namespace set names have 8 characters at most (interface names).
      network = createNetwork(`t${suffix.slice(0, 7)}`, options.hosts);
      const sourcePort = process.env['BP_SOURCE_ADMIN_URL']
        ? Number(new URL(process.env['BP_SOURCE_ADMIN_URL']).port || 5432)
        : undefined;
      const ports = [
        ...new Set([...(sourcePort ? [sourcePort] : []), ...(options.relayPorts ?? [])]),
      ];
      if (ports.length > 0)
        relay = await startRelay(
          network.hosts.map((host) => host.namespace),
          ports,
        );
      for (const [index, host] of network.hosts.entries()) {
        let hostPool = pool;
        if (index > 0) {
          hostPool = `bpt-${id}-${index + 1}`;
          createPool(
            hostPool,
            join(logDir, `pool-${index + 1}.img`),
            join(logDir, `pool-${index + 1}`),
            options.poolSize ?? '2G',
          );
          pools.push(hostPool);
        }
        agents.push(
          agentRun(
            logDir,
            index + 1,
            `${hostPool}/t-${id}`,
            {
              ...agentBase,
              BP_AGENT_HOST: host.address,
              BP_AGENT_PORT: '7070',
              BP_CLONE_HOST: host.address,
            },
            host,
          ),
        );
      }
    }
    for (const agent of agents) await agent.start();

    const port = options.port ?? (await freePort());
    const baseUrl = `http://127.0.0.1:${port}`;
    const backendLog = join(logDir, 'backend.log');
    const backendEnv = {
      ...inherited(),
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      BP_QUEUE_PREFIX: queuePrefix,
      BRANCHPOINT_ADMIN_PASSWORD: adminPassword,
      BP_JWT_SECRET: randomBytes(24).toString('hex'),
      BP_SECRET_KEY: randomBytes(32).toString('base64'),
      BP_UI_DIR: options.uiDir ?? join(logDir, 'no-ui'),
      BP_HOST_POLL_MS: '2000',
      // A killed control plane's job runs again after 6 s, not 15 (the fault and replica tests).
      BP_JOB_LOCK_MS: '6000',
      // Test clients keep one access token for a whole file; refreshing is tested on its own.
      BP_ACCESS_TOKEN_TTL: String(4 * 3600),
      ...options.backendEnv,
    };
    const startBackend = async (): Promise<void> => {
      backend = startNode(join(REPO_ROOT, 'backend/dist/main.js'), backendEnv, backendLog);
      await waitForHealth(`${baseUrl}/api/v1/health`, backend, backendLog);
    };
    await startBackend();

    const apiUrl = `${baseUrl}/api/v1`;
    const adminToken = await new ApiClient(apiUrl).login('admin', adminPassword);
    const api = new ApiClient(apiUrl, adminToken);
    const hosts: StackHost[] = [];
    for (const [index, agent] of agents.entries()) {
      const name = index === 0 ? `agent-${suffix}` : `agent-${suffix}-${index + 1}`;
      const host = await api.send(rest.hosts.create({ name, url: agent.url, token: agentToken }));
      hosts.push(stackHost(name, host.id, agent, agentToken));
    }
    const first = agents[0]!;

    return {
      baseUrl,
      apiUrl,
      agentUrl: first.url,
      agentToken,
      get agentFingerprint() {
        return first.fingerprint;
      },
      get agentFetch() {
        return first.fetch;
      },
      zfsRoot: first.zfsRoot,
      databaseUrl,
      queuePrefix,
      adminPassword,
      adminToken,
      hostId: hosts[0]!.id,
      hosts,
      ...(network ? { gateway: network.gateway } : {}),
      api,
      logDir,
      async startReplica(env = {}) {
        const replicaPort = await freePort();
        const replicaLog = join(logDir, `backend-replica-${replicas.length + 1}.log`);
        const replica = startNode(
          join(REPO_ROOT, 'backend/dist/main.js'),
          { ...backendEnv, ...env, PORT: String(replicaPort) },
          replicaLog,
        );
        replicas.push(replica);
        const replicaUrl = `http://127.0.0.1:${replicaPort}`;
        await waitForHealth(`${replicaUrl}/api/v1/health`, replica, replicaLog);
        return replicaUrl;
      },
      restartAgent: (env = {}) => first.restart(env),
      async restartBackend(signal = 'SIGTERM', whileStopped, env = {}) {
        // Already gone (it crashed, or a test made it kill itself): just start it again.
        if (backend && backend.exitCode === null && backend.signalCode === null) {
          const exited = new Promise((resolve) => backend!.once('exit', resolve));
          backend.kill(signal);
          await exited;
        }
        await whileStopped?.();
        Object.assign(backendEnv, env);
        await startBackend();
      },
      async createUser(username, role = 'user') {
        const password = `pw-${randomBytes(6).toString('hex')}`;
        const user = await api.send(rest.users.create({ username, password, role }));
        const token = await api.login(username, password);
        return { id: user.id, token, api: api.as(token) };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One agent process: where it listens, its root and run directory, (re)start. */
interface AgentRun {
  url: string;
  zfsRoot: string;
  process: ChildProcess | undefined;
  readonly fingerprint: string;
  readonly fetch: AgentFetch;
  namespace?: NamespaceHost;
  start(env?: Record<string, string>): Promise<void>;
  restart(env?: Record<string, string>): Promise<void>;
}

/** Agent `index` (1-based) of a stack: run directory and log in `logDir`, optionally in a namespace. */
function agentRun(
  logDir: string,
  index: number,
  zfsRoot: string,
  env: Record<string, string>,
  namespace?: NamespaceHost,
): AgentRun {
  const name = index === 1 ? 'agent' : `agent-${index}`;
  const runDir = join(logDir, `${name}-run`);
  const logFile = join(logDir, `${name}.log`);
  mkdirSync(runDir, { recursive: true });
  // The agent makes its certificate in its run directory unless told to serve another.
  let certFile = join(runDir, 'tls', 'agent.crt');
  let fetch = trustingFetch(certFile);
  const run: AgentRun = {
    url: `https://${env['BP_AGENT_HOST']}:${env['BP_AGENT_PORT']}`,
    zfsRoot,
    process: undefined,
    namespace,
    get fingerprint() {
      return new X509Certificate(readFileSync(certFile)).fingerprint256;
    },
    get fetch() {
      return fetch;
    },
    async start(extra = {}) {
      certFile = extra['BP_AGENT_TLS_CERT'] ?? join(runDir, 'tls', 'agent.crt');
      fetch = trustingFetch(certFile);
      run.process = startNode(
        join(REPO_ROOT, 'storage-agent/dist/main.js'),
        { ...env, BP_ZFS_ROOT: zfsRoot, BP_AGENT_RUN_DIR: runDir, ...extra },
        logFile,
        namespace ? inNamespace(namespace.namespace, []) : [],
      );
      await waitForHealth(`${run.url}/v1/health`, run.process, logFile, 60_000, fetch);
    },
    async restart(extra = {}) {
      if (run.process) await stopProcess(run.process);
      await run.start(extra);
    },
  };
  return run;
}

function stackHost(name: string, id: string, agent: AgentRun, token: string): StackHost {
  const link = (up: boolean) => {
    if (!agent.namespace)
      throw new Error(`host ${name} has no namespace: start the stack with hosts`);
    setLink(agent.namespace, up);
  };
  return {
    name,
    id,
    url: agent.url,
    token,
    zfsRoot: agent.zfsRoot,
    pool: agent.zfsRoot.split('/')[0]!,
    get fingerprint() {
      return agent.fingerprint;
    },
    get fetch() {
      return agent.fetch;
    },
    ...(agent.namespace ? { namespace: agent.namespace } : {}),
    restart: (env) => agent.restart(env),
    disconnect: () => link(false),
    reconnect: () => link(true),
  };
}

/** The environment the children need from ours (PATH for zfs and runuser), nothing test-specific. */
function inherited(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ'];
  return Object.fromEntries(
    keep.flatMap((key) => (process.env[key] ? [[key, process.env[key] as string]] : [])),
  );
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Releases the zfs holds of every bookmark the metadata knows, so their snapshots can go. */
async function releaseHolds(databaseUrl: string, agent: AgentRun, token: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let rows: { id: string; containerId: string; branchId: string; pointId: string }[];
  try {
    rows = (await client.query('SELECT id, "containerId", "branchId", "pointId" FROM bookmark'))
      .rows;
  } finally {
    await client.end();
  }
  for (const row of rows) {
    const query = new URLSearchParams({
      containerId: row.containerId,
      branchId: row.branchId,
      pointId: row.pointId,
    });
    await agent.fetch(`${agent.url}/v1/holds/${row.id}?${query}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
  }
}

/**
 * Deletes every container through the agent, which stops its clone servers. Containers cloned
 * from others' points are refused until those are gone, so several passes.
 */
async function deleteAgentContainers(agent: AgentRun, token: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  for (let pass = 0; pass < 5; pass++) {
    const response = await agent.fetch(`${agent.url}/v1/inventory`, { headers }).catch(() => null);
    if (!response?.ok) return;
    const inventory = (await response.json()) as AgentInventory;
    const prefix = `${inventory.root}/containers/`;
    const ids = new Set(
      inventory.datasets
        .filter((d) => d.type === 'filesystem' && d.name.startsWith(prefix))
        .map((d) => d.name.slice(prefix.length).split('/')[0]!),
    );
    if (ids.size === 0) return;
    for (const id of ids)
      await agent
        .fetch(`${agent.url}/v1/containers/${id}`, { method: 'DELETE', headers })
        .catch(() => null);
  }
}

/** Destroys the test root; clone servers still running below it are stopped first. */
function destroyDataset(name: string): void {
  if (!datasetExists(name)) return;
  const mountpoint = execFileSync('zfs', ['get', '-H', '-o', 'value', 'mountpoint', name], {
    encoding: 'utf8',
  }).trim();
  if (mountpoint.startsWith('/')) {
    if (stopPostgresBelow(mountpoint) > 0) execFileSync('sleep', ['2']);
  }
  // zfs-fuse reports a just-unmounted tree busy for a few seconds.
  for (let attempt = 0; ; attempt++) {
    try {
      execFileSync('zfs', ['destroy', '-r', name], { stdio: 'pipe' });
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      execFileSync('sleep', ['1']);
    }
  }
}

function datasetExists(name: string): boolean {
  try {
    execFileSync('zfs', ['list', '-H', '-o', 'name', name], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
