import type { StackHost } from '@branchpoint/testing';
import type { JobView } from '@branchpoint/contracts';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, getContainer, sql, startWorld, stopWorld, type World } from './support.js';

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

let world: World;
/** The second host: its own pool, in a network namespace of its own. */
let second: StackHost;
const template = () =>
  world.stack.api.expect<TemplateView>(200, 'GET', `/templates/${world.templateId}`);
const onSecond = async () => (await template()).hosts.find((h) => h.hostId === second.id);

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
  world = await startWorld('repl', { hosts: 2 });
  second = world.stack.hosts[1]!;
}, 300_000);

afterAll(async () => {
  await stopWorld(world);
}, 180_000);

describe('a template on a second host', () => {
  it('is sent whole when added, and the second host lists it as ready at the same version', async () => {
    const { job } = await world.stack.api.operate('POST', `/templates/${world.templateId}/hosts`, {
      hostId: second.id,
    });
    expect(job.result).toMatchObject({ version: 'v1' });
    expect(Number(job.result?.['bytes'])).toBeGreaterThan(0);
    expect(await onSecond()).toMatchObject({ origin: false, version: 'v1', state: 'ready' });
    const origin = (await template()).hosts[0];
    expect(origin).toMatchObject({ hostId: world.stack.hostId, origin: true, version: 'v1' });
    expect(snapshotsOn(second.zfsRoot)).toEqual(snapshotsOn(world.stack.zfsRoot));
    expect(guid(`${second.zfsRoot}/templates/${world.templateId}@v1`)).toBe(
      guid(`${world.stack.zfsRoot}/templates/${world.templateId}@v1`),
    );
    // Nothing half-received stays behind.
    const incoming = execFileSync(
      'zfs',
      ['list', '-H', '-o', 'name', '-r', `${second.zfsRoot}/incoming`],
      {
        encoding: 'utf8',
      },
    );
    expect(incoming.trim().split('\n')).toEqual([`${second.zfsRoot}/incoming`]);
  });

  it('gets each refresh as an increment', async () => {
    await world.source.query(`INSERT INTO employees (name, salary) VALUES ('Barbara', 130)`);
    await world.stack.api.operate('POST', `/templates/${world.templateId}/refresh`);
    await eventually(async () => {
      expect(await onSecond()).toMatchObject({ version: 'v2', state: 'ready' });
    }, 120_000);
    expect(snapshotsOn(second.zfsRoot)).toEqual(snapshotsOn(world.stack.zfsRoot));
    const items = await world.stack.api.expect<JobView[]>(200, 'GET', '/jobs?limit=50');
    const replicated = items.filter(
      (j) => j.type === 'replicate-template' && j.result?.['version'] === 'v2',
    );
    expect(replicated).toHaveLength(1);
    expect(replicated[0]!.log.join('\n')).toMatch(/v1 → v2 \(increment\)/);
    // Only what changed travels; an ingest rewrites every file, so that is about a version's size.
    expect(Number(replicated[0]!.result?.['bytes'])).toBeGreaterThan(0);
    expect(guid(`${second.zfsRoot}/templates/${world.templateId}@v2`)).toBe(
      guid(`${world.stack.zfsRoot}/templates/${world.templateId}@v2`),
    );
  });

  it('serves a container placed on the second host from its copy, in the source database', async () => {
    const { id } = await world.stack.api.operate('POST', '/containers', {
      name: 'on-second',
      templateId: world.templateId,
      hostId: second.id,
    });
    const container = await getContainer(world.stack.api, id!);
    // The database name travels with the stream as a received property.
    expect(container.endpoints[0]!.database).toBe(world.source.name);
    const rows = await sql<{ name: string }>(container, 'SELECT name FROM employees ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(['Ada', 'Grace', 'Linus', 'Barbara']);
    await world.stack.api.operate('DELETE', `/containers/${id}`);
  });

  it('is what reconciliation expects on both hosts', async () => {
    const reports = await world.stack.api.expect<
      { hostId: string; divergences: { subject: { templateId?: string } }[] }[]
    >(200, 'POST', '/reconciliation');
    for (const hostId of [world.stack.hostId, second.id]) {
      const report = reports.find((r) => r.hostId === hostId);
      expect(report?.divergences.filter((d) => d.subject.templateId === world.templateId)).toEqual(
        [],
      );
    }
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
    expect(snapshotsOn(second.zfsRoot)).toEqual(snapshotsOn(world.stack.zfsRoot));
  });
});
