import {
  REPO_ROOT,
  freePort,
  startNode,
  stopProcess,
  trustingFetch,
  waitForHealth,
} from '@branchpoint/testing';
import type { JobView } from '@branchpoint/contracts';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startWorld, stopWorld, type World } from './support.js';

interface TemplateView {
  id: string;
  hostId: string;
  hosts: {
    hostId: string;
    origin: boolean;
    version: string | null;
    state: string;
    error: string | null;
  }[];
}

/** A second storage agent on its own root dataset, registered as a host of the world's control plane. */
interface SecondHost {
  hostId: string;
  url: string;
  token: string;
  root: string;
  fetch: ReturnType<typeof trustingFetch>;
  stop(): Promise<void>;
}

let world: World;
let second: SecondHost;
/** What the whole send of v1 took. */
let wholeBytes = 0;

async function startSecondHost(world: World): Promise<SecondHost> {
  const suffix = randomBytes(4).toString('hex');
  const root = `${process.env['BP_ZFS_POOL']}/t-repl2-${suffix}`;
  const runDir = join(world.stack.logDir, 'agent2-run');
  mkdirSync(runDir, { recursive: true });
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('hex');
  const log = join(world.stack.logDir, 'agent2.log');
  const env: Record<string, string> = {
    ...Object.fromEntries(
      ['PATH', 'HOME', 'LANG'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
    ),
    BP_AGENT_HOST: '127.0.0.1',
    BP_AGENT_PORT: String(port),
    BP_AGENT_TOKEN: token,
    BP_ZFS_ROOT: root,
    BP_PG_BIN: process.env['BP_PG_BIN'] ?? '/usr/lib/postgresql/15/bin',
    BP_CLONE_PORTS: '56900-56999',
    BP_TENANT_UIDS: '3100000-3100099',
    BP_AGENT_RUN_DIR: runDir,
  };
  const child: ChildProcess = startNode(join(REPO_ROOT, 'storage-agent/dist/main.js'), env, log);
  const fetch = trustingFetch(join(runDir, 'tls', 'agent.crt'));
  const stop = async () => {
    await stopProcess(child);
    execFileSync('zfs', ['destroy', '-r', root], { stdio: 'ignore' });
  };
  try {
    await waitForHealth(`${url}/v1/health`, child, log, 60_000, fetch);
    const host = await world.stack.api.expect<{ id: string }>(201, 'POST', '/hosts', {
      name: `second-${suffix}`,
      url,
      token,
    });
    return { hostId: host.id, url, token, root, fetch, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

const template = () =>
  world.stack.api.expect<TemplateView>(200, 'GET', `/templates/${world.templateId}`);
const onSecond = async () => (await template()).hosts.find((h) => h.hostId === second.hostId);

/** The GUID of a snapshot: a received snapshot keeps the sender's, so equal GUIDs mean identical data. */
const guid = (snapshot: string) =>
  execFileSync('zfs', ['get', '-H', '-p', '-o', 'value', 'guid', snapshot], {
    encoding: 'utf8',
  }).trim();

const snapshotsOn = (root: string) =>
  execFileSync(
    'zfs',
    ['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', `${root}/templates/${world.templateId}`],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .split('\n')
    .map((name) => name.slice(root.length));

beforeAll(async () => {
  world = await startWorld('repl', { clonePorts: { first: 56500, last: 56899 } });
  second = await startSecondHost(world);
}, 240_000);

afterAll(async () => {
  await second?.stop().catch((error: unknown) => console.error(`second agent: ${String(error)}`));
  await stopWorld(world);
}, 120_000);

describe('a template on a second host', () => {
  it('is sent whole when added, and the second host lists it as ready at the same version', async () => {
    const { job } = await world.stack.api.operate('POST', `/templates/${world.templateId}/hosts`, {
      hostId: second.hostId,
    });
    expect(job.result).toMatchObject({ version: 'v1' });
    wholeBytes = Number(job.result?.['bytes']);
    expect(wholeBytes).toBeGreaterThan(0);
    expect(await onSecond()).toMatchObject({ origin: false, version: 'v1', state: 'ready' });
    const origin = (await template()).hosts[0];
    expect(origin).toMatchObject({ hostId: world.stack.hostId, origin: true, version: 'v1' });
    expect(snapshotsOn(second.root)).toEqual(snapshotsOn(world.stack.zfsRoot));
    expect(guid(`${second.root}/templates/${world.templateId}@v1`)).toBe(
      guid(`${world.stack.zfsRoot}/templates/${world.templateId}@v1`),
    );
    // Nothing half-received stays behind.
    const incoming = execFileSync(
      'zfs',
      ['list', '-H', '-o', 'name', '-r', `${second.root}/incoming`],
      {
        encoding: 'utf8',
      },
    );
    expect(incoming.trim().split('\n')).toEqual([`${second.root}/incoming`]);
  });

  it('gets each refresh as an increment', async () => {
    await world.source.query(`INSERT INTO employees (name, salary) VALUES ('Barbara', 130)`);
    await world.stack.api.operate('POST', `/templates/${world.templateId}/refresh`);
    await eventually(async () => {
      expect(await onSecond()).toMatchObject({ version: 'v2', state: 'ready' });
    }, 120_000);
    expect(snapshotsOn(second.root)).toEqual(snapshotsOn(world.stack.zfsRoot));
    const items = await world.stack.api.expect<JobView[]>(200, 'GET', '/jobs?limit=50');
    const replicated = items.filter(
      (j) => j.type === 'replicate-template' && j.result?.['version'] === 'v2',
    );
    expect(replicated).toHaveLength(1);
    expect(replicated[0]!.log.join('\n')).toMatch(/v1 → v2 \(increment\)/);
    expect(Number(replicated[0]!.result?.['bytes'])).toBeLessThan(wholeBytes);
    expect(guid(`${second.root}/templates/${world.templateId}@v2`)).toBe(
      guid(`${world.stack.zfsRoot}/templates/${world.templateId}@v2`),
    );
  });

  it('refuses to add the origin or an unknown host, and to remove a host it is not on', async () => {
    const api = world.stack.api;
    const path = `/templates/${world.templateId}/hosts`;
    expect((await api.request('POST', path, { hostId: world.stack.hostId })).body).toMatchObject({
      code: 'template.host-is-origin',
    });
    expect((await api.request('POST', path, { hostId: randomUUID() })).status).toBe(400);
    expect((await api.request('POST', path, { hostId: 'nope' })).status).toBe(400);
    expect((await api.request('DELETE', `${path}/${randomUUID()}`)).status).toBe(404);
  });
});

describe('the receiving agent', () => {
  const subject = () => ({ kind: 'template', templateId: world.templateId, from: 'v2', to: 'v3' });

  async function expectGrant(transferId: string, grant: string): Promise<void> {
    const response = await second.fetch(`${second.url}/v1/transfers/${transferId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${second.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: subject(),
        grantSha256: createHash('sha256').update(grant).digest('hex'),
        validForMs: 60_000,
      }),
    });
    expect(response.status).toBe(204);
  }

  const stream = (transferId: string, grant: string | undefined, claimed = subject()) =>
    second.fetch(`${second.url}/v1/transfers/${transferId}/stream`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-branchpoint-transfer-subject': JSON.stringify(claimed),
        ...(grant ? { 'x-branchpoint-transfer-grant': grant } : {}),
      },
      body: Buffer.from('not a zfs stream'),
    });

  it('refuses a forged grant, a grant for another version, and a used grant', async () => {
    const transferId = randomUUID();
    const grant = randomBytes(32).toString('base64url');
    await expectGrant(transferId, grant);
    expect((await stream(transferId, undefined)).status).toBe(401);
    expect((await stream(transferId, randomBytes(32).toString('base64url'))).status).toBe(401);
    expect((await stream(randomUUID(), grant)).status).toBe(401);
    expect((await stream(transferId, grant, { ...subject(), to: 'v9' })).status).toBe(401);
    // The right grant is accepted once: the garbage it carries is refused by zfs receive, and the
    // template keeps only the versions it had.
    const first = await stream(transferId, grant);
    expect(first.status).toBe(400);
    const reused = await stream(transferId, grant);
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { message: string }).message).toMatch(/already used/);
    expect(snapshotsOn(second.root)).toEqual(snapshotsOn(world.stack.zfsRoot));
  });
});
