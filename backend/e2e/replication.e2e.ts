import { withClient, type StackHost } from '@branchpoint/testing';
import type { JobView } from '@branchpoint/contracts';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  getContainer,
  names,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

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
const sourceIds = async () =>
  (
    await world.stack.api.expect<{ sources: { id: string }[] }>(
      200,
      'GET',
      `/templates/${world.templateId}`,
    )
  ).sources.map((s) => s.id);
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

/**
 * A move takes seconds here alone, but the full suite runs beside it: in one full run a move
 * waited well over two minutes (its job retrying while a starved agent missed health checks).
 */
const MOVE_WAIT_MS = 300_000;
const MOVE_TEST_MS = 600_000;

/** A reconciliation of both hosts finds nothing the catalog and the host disagree on. */
async function expectReconciled(): Promise<void> {
  const reports = await world.stack.api.expect<{ hostId: string; divergences: unknown[] }[]>(
    200,
    'POST',
    '/reconciliation',
  );
  for (const hostId of [world.stack.hostId, second.id])
    expect(reports.find((r) => r.hostId === hostId)?.divergences).toEqual([]);
}

/** A container on the first host with one row added, and a bookmark of it. */
async function bookmarkedOnFirst(
  name: string,
  row: string,
  salary: number,
): Promise<{ container: ContainerView; bookmarkId: string }> {
  const api = world.stack.api;
  const { id } = await api.operate('POST', '/containers', {
    name,
    templateId: world.templateId,
    hostId: world.stack.hostId,
  });
  const container = await getContainer(api, id!);
  await sql(container, `INSERT INTO employees (name, salary) VALUES ($1, $2)`, [row, salary]);
  const bookmark = await api.operate('POST', `/branches/${container.activeBranchId}/bookmarks`, {
    name: `${name} bookmark`,
  });
  return { container, bookmarkId: bookmark.id! };
}

beforeAll(async () => {
  world = await startWorld('repl', { hosts: 2, backendEnv: { BP_FAULT_INJECTION: 'on' } });
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

describe('a bookmark on another host', () => {
  let bug: ContainerView;
  let bookmarkId: string;
  const zfsList = (root: string, under: string) =>
    execFileSync('zfs', ['list', '-H', '-o', 'name', '-r', `${root}/${under}`], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');

  beforeAll(async () => {
    ({ container: bug, bookmarkId } = await bookmarkedOnFirst('bug-on-first', 'Bug Row', 1));
  }, 180_000);

  it('is sent to the host a branch is made on, as an increment, and served there', async () => {
    const { id } = await world.stack.api.operate('POST', '/containers', {
      name: 'fix-on-second',
      templateId: world.templateId,
      hostId: second.id,
    });
    let fix = await getContainer(world.stack.api, id!);
    const { job, id: branchId } = await world.stack.api.operate(
      'POST',
      `/containers/${fix.id}/branches`,
      { name: 'from-the-bug', fromBookmarkId: bookmarkId },
    );
    const sent = /sent point (\S+) from host .* \(increment from v2\): .* \((\d+) bytes\)/.exec(
      job.log.join('\n'),
    );
    expect(sent, job.log.join('\n')).not.toBeNull();
    const [, pointId, bytes] = sent!;
    // Only what the bug container changed travels, not the database.
    const referenced = Number(
      execFileSync(
        'zfs',
        [
          'get',
          '-H',
          '-p',
          '-o',
          'value',
          'referenced',
          `${second.zfsRoot}/points/${pointId}/${(await sourceIds())[0]}`,
        ],
        { encoding: 'utf8' },
      ).trim(),
    );
    expect(Number(bytes)).toBeGreaterThan(0);
    expect(Number(bytes) * 4).toBeLessThan(referenced);
    await world.stack.api.operate('POST', `/branches/${branchId}/activate`);
    fix = await getContainer(world.stack.api, fix.id);
    const rows = await sql<{ name: string }>(fix, `SELECT name FROM employees WHERE salary = 1`);
    expect(rows.map((r) => r.name)).toEqual(['Bug Row']);

    // Back on its own branch, the bookmark's branch goes, and the received point with it.
    await world.stack.api.operate('POST', `/branches/${fix.branches[0]!.id}/activate`);
    await world.stack.api.operate('DELETE', `/branches/${branchId}`);
    expect(zfsList(second.zfsRoot, 'points')).toEqual([`${second.zfsRoot}/points`]);
    await world.stack.api.operate('DELETE', `/containers/${fix.id}`);
  });

  it('is sent again for a container made from it on the other host, and reconciliation is clean', async () => {
    const { id } = await world.stack.api.operate('POST', '/containers', {
      name: 'copy-on-second',
      templateId: world.templateId,
      hostId: second.id,
      fromBookmarkId: bookmarkId,
    });
    const copy = await getContainer(world.stack.api, id!);
    const rows = await sql<{ name: string }>(copy, `SELECT name FROM employees WHERE salary = 1`);
    expect(rows.map((r) => r.name)).toEqual(['Bug Row']);
    await world.stack.api.operate('DELETE', `/containers/${id}`);
    await world.stack.api.expect(204, 'DELETE', `/bookmarks/${bookmarkId}`);
    expect(zfsList(second.zfsRoot, 'points')).toEqual([`${second.zfsRoot}/points`]);
    expect(zfsList(second.zfsRoot, 'incoming')).toEqual([`${second.zfsRoot}/incoming`]);
    await expectReconciled();
  });

  it('fails fast, naming the host, when the host the bookmark lives on is down', async () => {
    const { id: bookmark } = (await world.stack.api.operate(
      'POST',
      `/branches/${bug.activeBranchId}/bookmarks`,
      { name: 'while down' },
    )) as { id: string };
    const { id } = await world.stack.api.operate('POST', '/containers', {
      name: 'waits-on-second',
      templateId: world.templateId,
      hostId: second.id,
    });
    const first = world.stack.hosts[0]!;
    const hostStatus = async () =>
      (await world.stack.api.expect<{ id: string; status: string }[]>(200, 'GET', '/hosts')).find(
        (h) => h.id === first.id,
      )?.status;
    const setUrl = (url: string) =>
      withClient(world.stack.databaseUrl, (client) =>
        client.query(`UPDATE host SET url = $1 WHERE id = $2`, [url, first.id]),
      );
    // Nothing answers at that address: the health check finds the host down.
    await setUrl('https://127.0.0.1:9');
    try {
      await eventually(async () => expect(await hostStatus()).toBe('down'), 60_000);
      const accepted = await world.stack.api.expect<{ jobId: string }>(
        202,
        'POST',
        `/containers/${id}/branches`,
        { name: 'while-down', fromBookmarkId: bookmark },
      );
      const job = await world.stack.api.waitForJob(accepted.jobId);
      expect(job.state).toBe('failed');
      expect(job.error).toContain(`host "${first.name}" is down`);
    } finally {
      await setUrl(first.url);
    }
    await eventually(async () => expect(await hostStatus()).toBe('up'), 60_000);
    await world.stack.api.operate('DELETE', `/containers/${id}`);
    await world.stack.api.expect(204, 'DELETE', `/bookmarks/${bookmark}`);
  });
});

describe('moving a container', () => {
  let mover: ContainerView;
  let bookmarkId: string;
  let sideBranchId: string;
  const zfs = (...args: string[]) => execFileSync('zfs', args, { encoding: 'utf8' }).trim();
  const tree = (root: string) => `${root}/containers/${mover.id}`;
  const hostOf = async (id: string) =>
    (await world.stack.api.expect<{ host: { id: string } }>(200, 'GET', `/containers/${id}`)).host
      .id;

  beforeAll(async () => {
    ({ container: mover, bookmarkId } = await bookmarkedOnFirst('mover', 'Before Move', 7));
    ({ id: sideBranchId } = (await world.stack.api.operate(
      'POST',
      `/containers/${mover.id}/branches`,
      { name: 'side', fromBookmarkId: bookmarkId },
    )) as { id: string });
    // Written after the bookmark, while it runs: only the increment after the copy carries it.
    await sql(mover, `INSERT INTO employees (name, salary) VALUES ('During Move', 8)`);
  }, 180_000);

  it(
    'takes its branches, points and bookmarks to the other host, where it serves its data',
    async () => {
      const timelineBefore = await world.stack.api.expect<{ items: { id: string }[] }>(
        200,
        'GET',
        `/branches/${mover.activeBranchId}/timeline`,
      );
      const { job } = await world.stack.api.operate(
        'POST',
        `/containers/${mover.id}/move`,
        {
          hostId: second.id,
        },
        MOVE_WAIT_MS,
      );
      expect(job.result).toMatchObject({ fromHostId: world.stack.hostId, hostId: second.id });
      expect(Number(job.result?.['downtimeMs'])).toBeGreaterThan(0);
      expect(job.log.join('\n')).toMatch(/increment since the copy sent/);
      expect(await hostOf(mover.id)).toBe(second.id);
      const moved = await getContainer(world.stack.api, mover.id);
      expect(moved.endpoints[0]!.host).not.toBe(mover.endpoints[0]!.host);
      expect(await names(moved)).toContain('During Move');
      expect(
        await world.stack.api.expect<{ items: { id: string }[] }>(
          200,
          'GET',
          `/branches/${mover.activeBranchId}/timeline`,
        ),
      ).toEqual(timelineBefore);

      // The old host's copy is gone; the new one keeps no snapshot of the move, and the bookmark's hold.
      expect(() => zfs('list', '-H', '-o', 'name', tree(world.stack.zfsRoot))).toThrow();
      const snapshots = zfs(
        'list',
        '-H',
        '-t',
        'snapshot',
        '-o',
        'name',
        '-r',
        tree(second.zfsRoot),
      );
      expect(snapshots).not.toMatch(/@move-/);
      // A uid of the new host's own, not the old host's (another tenant may have that one there).
      expect(zfs('get', '-H', '-o', 'source', 'branchpoint:uid', tree(second.zfsRoot))).toBe(
        'local',
      );
      const held = snapshots
        .split('\n')
        .filter((name) => Number(zfs('get', '-H', '-p', '-o', 'value', 'userrefs', name)) > 0);
      expect(held.length).toBeGreaterThan(0);

      // Its other branch came along with the clone relation, and the bookmark restores there.
      await world.stack.api.operate('POST', `/branches/${sideBranchId}/activate`);
      const side = await getContainer(world.stack.api, mover.id);
      expect(await names(side)).toContain('Before Move');
      expect(await names(side)).not.toContain('During Move');
      await world.stack.api.operate('POST', `/branches/${mover.activeBranchId}/activate`);
      await world.stack.api.operate('POST', `/branches/${mover.activeBranchId}/restore`, {
        bookmarkId,
      });
      const restored = await getContainer(world.stack.api, mover.id);
      expect(await names(restored)).not.toContain('During Move');

      await expectReconciled();
    },
    MOVE_TEST_MS,
  );

  it('refuses a move to where it is, to a host the template is not on, and by others', async () => {
    const api = world.stack.api;
    const path = `/containers/${mover.id}/move`;
    expect((await api.request('POST', path, { hostId: second.id })).body).toMatchObject({
      code: 'container.same-host',
    });
    expect((await api.request('POST', path, { hostId: randomUUID() })).status).toBe(400);
    expect((await api.request('POST', path, { hostId: 'nope' })).status).toBe(400);
    expect((await api.request('POST', path, {})).status).toBe(400);
  });

  it.each([
    ['move-container:after-copy', () => world.stack.hostId],
    ['move-container:after-switch', () => second.id],
  ])(
    'the control plane killed at %s: the job runs again and ends, the container serves where the API says',
    async (step, target) => {
      const api = world.stack.api;
      await api.expect(204, 'PUT', '/test/fault', { step });
      const { jobId } = await api.expect<{ jobId: string }>(
        202,
        'POST',
        `/containers/${mover.id}/move`,
        { hostId: target() },
      );
      await eventually(async () => {
        await expect(
          fetch(`${world.stack.apiUrl}/health`, { signal: AbortSignal.timeout(2_000) }),
        ).rejects.toThrow();
      }, 120_000);
      await world.stack.restartBackend();
      const job = await api.waitForJob(jobId, MOVE_WAIT_MS);
      expect(job.state, `${job.error ?? ''}\n${job.log.join('\n')}`).toBe('succeeded');
      expect(await hostOf(mover.id)).toBe(target());
      const moved = await getContainer(api, mover.id);
      expect(await names(moved)).toContain('Before Move');
      const other = target() === second.id ? world.stack.zfsRoot : second.zfsRoot;
      expect(() => zfs('list', '-H', '-o', 'name', tree(other))).toThrow();
      await eventually(expectReconciled, 30_000);
    },
    MOVE_TEST_MS,
  );

  it(
    'drains a host: every container on it moves to another',
    async () => {
      const drained = await world.stack.api.expect<{
        moves: { containerId: string; hostId: string; jobId: string }[];
        skipped: unknown[];
      }>(202, 'POST', `/hosts/${second.id}/drain`);
      expect(drained.skipped).toEqual([]);
      expect(drained.moves.map((m) => [m.containerId, m.hostId])).toEqual([
        [mover.id, world.stack.hostId],
      ]);
      const job = await world.stack.api.waitForJob(drained.moves[0]!.jobId, MOVE_WAIT_MS);
      expect(job.state, job.error).toBe('succeeded');
      expect(await hostOf(mover.id)).toBe(world.stack.hostId);
      const back = await getContainer(world.stack.api, mover.id);
      expect(await names(back)).toContain('Before Move');
      expect(() => zfs('list', '-H', '-o', 'name', tree(second.zfsRoot))).toThrow();
      await world.stack.api.operate('DELETE', `/containers/${mover.id}`);

      // Drained, it takes no new containers until an admin ends the drain.
      const draining = async () =>
        (
          await world.stack.api.expect<{ id: string; draining: boolean }[]>(200, 'GET', '/hosts')
        ).find((h) => h.id === second.id)?.draining;
      expect(await draining()).toBe(true);
      const refused = await world.stack.api.request('POST', '/containers', {
        name: 'onto-drained',
        templateId: world.templateId,
        hostId: second.id,
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'host.draining' });
      await world.stack.api.expect(204, 'DELETE', `/hosts/${second.id}/drain`);
      expect(await draining()).toBe(false);
    },
    MOVE_TEST_MS,
  );
});

/** Tells the second host's agent to accept `grant` once, for `subject`, as the control plane does. */
async function expectGrant(transferId: string, grant: string, subject: object): Promise<void> {
  const response = await second.fetch(`${second.url}/v1/transfers/${transferId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${second.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      subject,
      grantSha256: createHash('sha256').update(grant).digest('hex'),
      validForMs: 60_000,
    }),
  });
  expect(response.status).toBe(204);
}

describe('the sending agent', () => {
  it('answers a long poll when the transfer ends, and names a wait it refuses', async () => {
    const first = world.stack.hosts[0]!;
    const transferId = randomUUID();
    const grant = randomBytes(32).toString('base64url');
    const again = { kind: 'template', templateId: world.templateId, from: 'v1', to: 'v2' };
    await expectGrant(transferId, grant, again);
    const onFirst = async (method: string, path: string, body?: unknown) => {
      const answer = await first.fetch(`${first.url}/v1/transfers/${transferId}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${first.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    const sent = await onFirst('POST', '/send', {
      subject: again,
      grant,
      receiver: { url: second.url, fingerprint: second.fingerprint },
    });
    expect(sent.body['state']).toBe('sending');
    // Answered at the transfer's end, or (a slow machine) after the whole wait: never at once
    // while it still sends, as a plain GET would be.
    const asked = Date.now();
    let status = await onFirst('GET', '?waitMs=10000');
    if (status.body['state'] === 'sending') expect(Date.now() - asked).toBeGreaterThan(9_000);
    while (status.body['state'] === 'sending') status = await onFirst('GET', '?waitMs=10000');
    expect(status.body).toMatchObject({ state: 'done' });
    for (const wait of ['soon', '-1', '20000']) {
      const refused = await onFirst('GET', `?waitMs=${wait}`);
      expect(refused.status).toBe(400);
      expect(refused.body['message']).toMatch(/query\.waitMs/);
    }
  });
});

describe('the receiving agent', () => {
  const subject = () => ({ kind: 'template', templateId: world.templateId, from: 'v2', to: 'v3' });

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
    await expectGrant(transferId, grant, subject());
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
