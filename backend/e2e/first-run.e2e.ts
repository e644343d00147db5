import {
  cloneClientConfig,
  freePort,
  startNode,
  stopProcess,
  trustingFetch,
  waitForHealth,
  withClient,
  type AgentFetch,
} from '@branchpoint/testing';
import type {
  CloneCertificateAuthority,
  ContainerStatus,
  TemplateVersionStatus,
} from '@branchpoint/contracts';
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// A first run from a checkout no other user can enter: a fresh clone in a 0700 directory of
// root's home, the usual place on a new machine. The clone servers run as tenant uids and the
// private PostgreSQL clusters as postgres; none of them may pass the checkout, so set-up keeps
// the state in /var/lib/branchpoint/<hash> and links it as .data (scripts/lib/stack.sh).
// The clone gets this checkout's scripts (so uncommitted changes to them are what is tested)
// and hard links of its node_modules (no npm ci); it builds only the agent. Needs root, as the
// stack does, and touches nothing of this checkout's own stack.

const repo = fileURLToPath(new URL('../..', import.meta.url));
const home = mkdtempSync('/root/bp-first-run-');
const checkout = join(home, 'branchpoint');
const logFile = join(home, 'agent.log');
const token = randomBytes(24).toString('hex');

/** Only what a user's shell would have: nothing of the surrounding test stack's settings. */
const userEnv: Record<string, string> = {
  PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
  HOME: '/root',
  LANG: 'C.UTF-8',
};

let stack: Record<string, string> = {};
let agent: ChildProcess | undefined;
let agentFetch: AgentFetch | undefined;
let agentUrl = '';
let resetDone = false;

function run(command: string, args: string[], env = userEnv, cwd = checkout): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}

/** The environment `eval "$(bash scripts/setup.sh)"` leaves, as README tells people to use it. */
function setUp(): Record<string, string> {
  const output = run('bash', ['-c', 'eval "$(bash scripts/setup.sh)" && env -0']);
  return Object.fromEntries(
    output
      .split('\0')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await agentFetch!(`${agentUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

function reset(): void {
  run('npm', ['run', 'reset', '--', '--yes']);
  resetDone = true;
}

/** What a failed run may leave behind that reset did not take: the pool and the folders. */
function lastResort(): void {
  const pool = stack['BP_ZFS_POOL'];
  if (pool?.startsWith('branchpoint-'))
    spawnSync('zpool', ['destroy', '-f', pool], { stdio: 'ignore' });
  const dataDir = stack['BP_DATA_DIR'];
  if (dataDir?.startsWith('/var/lib/branchpoint/'))
    rmSync(dataDir, { recursive: true, force: true });
}

afterAll(async () => {
  try {
    if (agent) await stopProcess(agent);
    if (!resetDone && existsSync(join(checkout, 'scripts/reset.sh'))) reset();
  } catch (error) {
    lastResort();
    throw error;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

describe('a first run from a checkout other users cannot enter', () => {
  it('sets up, keeping the state in /var/lib/branchpoint and linking it as .data', () => {
    chmodSync(home, 0o700);
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', repo, checkout]);
    cpSync(join(repo, 'scripts'), join(checkout, 'scripts'), { recursive: true });
    for (const dir of [
      '',
      'libs/contracts',
      'libs/testing',
      'storage-agent',
      'backend',
      'frontend',
      'cli',
    ]) {
      const modules = join(repo, dir, 'node_modules');
      if (existsSync(modules)) execFileSync('cp', ['-al', modules, join(checkout, dir)]);
    }

    // Set-up would install the dependencies into these hard links (this checkout's files) if
    // they did not match the clone's lock file; they must.
    expect(
      readFileSync(join(checkout, 'node_modules/.branchpoint-lock'), 'utf8') ===
        readFileSync(join(checkout, 'package-lock.json'), 'utf8'),
      'node_modules was installed from the committed package-lock.json',
    ).toBe(true);

    stack = setUp();

    const dataDir = stack['BP_DATA_DIR']!;
    expect(dataDir).toMatch(/^\/var\/lib\/branchpoint\/[0-9a-f]{8}$/);
    expect(lstatSync(join(checkout, '.data')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(checkout, '.data'))).toBe(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o711);
    expect(readFileSync(join(dataDir, 'checkout'), 'utf8').trim()).toBe(checkout);
    expect(stack['BP_ZFS_ROOT']).toBe(`${stack['BP_ZFS_POOL']}/branchpoint`);
    // Set-up is re-runnable: the second run finds the same folder through the link.
    expect(setUp()['BP_DATA_DIR']).toBe(dataDir);
  }, 600_000);

  it('starts the storage agent there, and its tenant uids run an ingest and a clone server', async () => {
    expect(stack['BP_DATA_DIR'], 'set-up ran').toBeDefined();
    run(join(checkout, 'node_modules/.bin/tsc'), ['-p', 'libs/contracts/tsconfig.json']);
    run(join(checkout, 'node_modules/.bin/tsc'), ['-p', 'storage-agent/tsconfig.build.json']);

    const port = await freePort();
    const runDir = join(stack['BP_DATA_DIR']!, 'agent');
    agentUrl = `https://127.0.0.1:${port}`;
    agent = startNode(
      join(checkout, 'storage-agent/dist/main.js'),
      {
        ...stack,
        BP_AGENT_HOST: '127.0.0.1',
        BP_AGENT_PORT: String(port),
        BP_AGENT_TOKEN: token,
        BP_CLONE_PORTS: '59900-59919',
        BP_CLONE_HOST: '127.0.0.1',
      },
      logFile,
    );
    // npm run reset stops an agent it finds here, should this test end before it does.
    mkdirSync(join(stack['BP_DATA_DIR']!, 'pids'), { recursive: true });
    writeFileSync(join(stack['BP_DATA_DIR']!, 'pids/agent.pid'), `${agent.pid}\n`);
    agentFetch = trustingFetch(join(runDir, 'tls/agent.crt'));
    await waitForHealth(`${agentUrl}/v1/health`, agent, logFile, 60_000, agentFetch);

    const version = await call<TemplateVersionStatus>('PUT', '/v1/templates/first/versions/v1', {
      sources: [{ id: 'db', kind: 'postgres', connectionString: stack['BP_SOURCE_ADMIN_URL'] }],
      hooks: { afterIngest: ['CREATE TABLE first_run AS SELECT 1 AS id'] },
    });
    expect(version).toMatchObject({ state: 'ready' });

    await call('PUT', '/v1/containers/first', {
      sources: [{ id: 'db', kind: 'postgres' }],
      password: 'first-run-password',
    });
    await call('PUT', '/v1/containers/first/branches/main', {
      origin: { kind: 'template', templateId: 'first', version: 'v1' },
    });
    const status = await call<ContainerStatus>('PUT', '/v1/containers/first/active', {
      branchId: 'main',
    });
    expect(status).toMatchObject({ running: true });
    const endpoint = status.endpoints[0]!;
    const { certificate } = await call<CloneCertificateAuthority>('GET', '/v1/tls/ca');
    const url = `postgres://branchpoint:first-run-password@127.0.0.1:${endpoint.port}/${endpoint.database}`;
    const rows = await withClient(cloneClientConfig(url, certificate), async (client) => {
      const result = await client.query<{ id: number }>('SELECT id FROM first_run');
      return result.rows;
    });
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('resets: the servers stop, the pool, the state folder and the link go', async () => {
    expect(agent, 'the agent ran').toBeDefined();
    // Stopped like a crashed or upgraded agent: its clone servers keep running for reset to stop.
    await stopProcess(agent!);
    agent = undefined;
    reset();
    const dataDir = stack['BP_DATA_DIR']!;
    expect(existsSync(dataDir)).toBe(false);
    expect(lstatExists(join(checkout, '.data'))).toBe(false);
    const pools = run('zpool', ['list', '-H', '-o', 'name']).split('\n');
    expect(pools).not.toContain(stack['BP_ZFS_POOL']);
    const servers = run('ps', ['-eo', 'args']).split('\n');
    expect(servers.filter((line) => line.includes(dataDir))).toEqual([]);
  });
});

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
