import { ApiClient } from '@branchpoint/testing';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

// The expiry sweep is a BullMQ job whose data may say what time it is: these tests add sweep
// jobs "as of" chosen times (a controllable clock), and keep the scheduled rounds out of the
// way with the longest BP_EXPIRY_SWEEP_MS.

interface ExpiryState {
  id: string;
  name: string;
  expiresAt: string | null;
  protected: boolean;
  expiryBlockedReason: string | null;
}

interface Policy {
  container: { default: string | null; max: string | null };
  branch: { default: string | null; max: string | null };
  bookmark: { default: string | null; max: string | null };
  warningLead: string;
}

interface Notification {
  event: string;
  data: { kind: string; id: string; reason?: string };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.now();
let world: World;
let owner: { id: string; token: string; api: ApiClient };
let viewer: { id: string; token: string; api: ApiClient };
let admin: ApiClient;
let container: ContainerView;
let webhookId: string;
let receiver: Server;
let redis: Redis;
let sweeps: Queue;
let sweepEvents: QueueEvents;

/** Runs one sweep as if it were `at`, and waits for it to finish. */
async function sweepAt(at: number): Promise<void> {
  const job = await sweeps.add('sweep', { now: new Date(at).toISOString() });
  await job.waitUntilFinished(sweepEvents, 60_000);
}

/** What the owner's webhook was told, oldest first. */
async function notifications(): Promise<Notification[]> {
  const deliveries = await owner.api.expect<{ body: string; createdAt: string }[]>(
    200,
    'GET',
    `/webhooks/${webhookId}/deliveries`,
  );
  return deliveries
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((d) => JSON.parse(d.body) as Notification);
}

async function told(event: string, id: string): Promise<number> {
  return (await notifications()).filter((n) => n.event === event && n.data.id === id).length;
}

/** Milliseconds from `from` until the ISO time; null stays null. */
const after = (iso: string | null, from = T0) => (iso === null ? null : Date.parse(iso) - from);

async function branch(id: string): Promise<ExpiryState> {
  const branches = await owner.api.expect<ExpiryState[]>(
    200,
    'GET',
    `/containers/${container.id}/branches`,
  );
  return branches.find((b) => b.id === id)!;
}

beforeAll(async () => {
  receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  world = await startWorld('backend-expiry', {
    // A range of its own, apart from the other suites' clones.
    clonePorts: { first: 56700, last: 56799 },
    backendEnv: {
      BP_EXPIRY_SWEEP_MS: String(DAY),
      BP_EXPIRY_WARNING_MS: String(HOUR),
      // The webhook receiver below listens on loopback, which the outbound fence refuses otherwise.
      BP_OUTBOUND_ALLOW: '127.0.0.1/32',
    },
  });
  admin = world.stack.api;
  owner = await world.stack.createUser('owner');
  viewer = await world.stack.createUser('viewer');
  redis = new Redis(process.env['REDIS_URL']!, { maxRetriesPerRequest: null });
  const queueOptions = { connection: redis, prefix: world.stack.queuePrefix };
  sweeps = new Queue('expiry', queueOptions);
  sweepEvents = new QueueEvents('expiry', {
    connection: redis.duplicate(),
    prefix: world.stack.queuePrefix,
  });
  await sweepEvents.waitUntilReady();
  const port = (receiver.address() as AddressInfo).port;
  ({ id: webhookId } = await owner.api.expect<{ id: string }>(201, 'POST', '/webhooks', {
    url: `http://127.0.0.1:${port}/owner`,
    format: 'json',
    events: ['expiry.soon', 'expiry.expired', 'expiry.blocked'],
  }));
});

afterAll(async () => {
  await sweepEvents?.close();
  await sweeps?.close();
  redis?.disconnect();
  await stopWorld(world);
  await new Promise((resolve) => receiver.close(resolve));
});

describe('the expiry policy', () => {
  const policy: Policy = {
    container: { default: '7d', max: '30d' },
    branch: { default: '1d', max: null },
    bookmark: { default: null, max: '14d' },
    warningLead: '1d',
  };

  it('is read by every user (warning lead from BP_EXPIRY_WARNING_MS) and changed by admins only, audited', async () => {
    expect(await owner.api.expect<Policy>(200, 'GET', '/settings/expiry')).toEqual({
      container: { default: null, max: null },
      branch: { default: null, max: null },
      bookmark: { default: null, max: null },
      warningLead: '1h',
    });
    await owner.api.expect(403, 'PUT', '/settings/expiry', policy);
    const bad = await admin.request<{ message: string }>('PUT', '/settings/expiry', {
      ...policy,
      container: { default: '7 days', max: null },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/container\.default must be a duration such as 30m/);
    const inverted = await admin.request<{ message: string }>('PUT', '/settings/expiry', {
      ...policy,
      branch: { default: '2w', max: '7d' },
    });
    expect(inverted.status).toBe(400);
    expect(inverted.body.message).toBe('branch.default (2w) exceeds branch.max (7d)');

    expect(await admin.expect(200, 'PUT', '/settings/expiry', policy)).toEqual(policy);
    expect(await owner.api.expect(200, 'GET', '/settings/expiry')).toEqual(policy);
    const audit = await admin.expect<{ action: string }[]>(200, 'GET', '/audit?limit=100');
    expect(audit.some((e) => e.action === 'settings.expiry.update')).toBe(true);
  });

  it("gives new objects the kind's default and keeps users within the maximum; admins are exempt", async () => {
    container = await createContainer(owner.api, world.templateId, 'expiring');
    const created = await owner.api.expect<ExpiryState>(200, 'GET', `/containers/${container.id}`);
    expect(after(created.expiresAt)).toBeGreaterThanOrEqual(7 * DAY);
    expect(after(created.expiresAt)).toBeLessThan(7 * DAY + 10 * 60_000);
    expect(created).toMatchObject({ protected: false, expiryBlockedReason: null });

    const patch = (api: ApiClient, body: Record<string, unknown>) =>
      api.request<{ message: string }>('PATCH', `/containers/${container.id}`, body);
    const refusals: [Record<string, unknown>, number, RegExp][] = [
      [{ expiresIn: '60d' }, 400, /expiresIn exceeds the maximum of 30d for containers"/],
      [
        { expiresAt: new Date(T0 + 60 * DAY).toISOString() },
        400,
        /expiresAt exceeds the maximum of 30d for containers"/,
      ],
      [{ expiresAt: null }, 400, /expiresAt cannot be cleared: .* maximum of 30d/],
      [
        { expiresIn: '2h', expiresAt: new Date(T0 + HOUR).toISOString() },
        400,
        /give expiresAt or expiresIn, not both/,
      ],
      [{ expiresIn: '2 hours' }, 400, /expiresIn must be a duration such as 30m, 2h, 7d/],
      [{ protected: true }, 403, /only admins may protect containers .* maximum \(30d\)/],
    ];
    for (const [body, status, message] of refusals) {
      const answer = await patch(owner.api, body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(answer.body.message)).toMatch(message);
    }
    const extended = await owner.api.expect<ExpiryState>(
      200,
      'PATCH',
      `/containers/${container.id}`,
      { expiresIn: '30d' },
    );
    expect(after(extended.expiresAt)).toBeGreaterThanOrEqual(30 * DAY);
    // Unprotecting what is not protected changes nothing.
    const same = await owner.api.expect<ExpiryState>(200, 'PATCH', `/containers/${container.id}`, {
      protected: false,
    });
    expect(same.expiresAt).toBe(extended.expiresAt);

    const byAdmin = await admin.expect<ExpiryState>(200, 'PATCH', `/containers/${container.id}`, {
      expiresIn: '60d',
    });
    expect(after(byAdmin.expiresAt)).toBeGreaterThanOrEqual(60 * DAY);
    const tooLong = await owner.api.post<{ message: string }>(
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'long', expiresIn: '30d' },
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toBe('expiresIn exceeds the maximum of 14d for bookmarks');

    const { id } = await owner.api.operate('POST', `/containers/${container.id}/branches`, {
      name: 'feature',
    });
    const feature = await branch(id!);
    expect(after(feature.expiresAt)).toBeGreaterThanOrEqual(DAY);
    expect(after(feature.expiresAt)).toBeLessThan(DAY + 10 * 60_000);
  });

  it('protects: a protected object has no expiry; only admins may protect under a maximum', async () => {
    const kept = await admin.expect<ExpiryState>(200, 'PATCH', `/containers/${container.id}`, {
      protected: true,
    });
    expect(kept).toMatchObject({ protected: true, expiresAt: null });
    const { id } = await owner.api.operate('POST', `/containers/${container.id}/branches`, {
      name: 'keep',
      expiresIn: '1h',
    });
    // No maximum for branches: their owners may protect them.
    const keep = await owner.api.expect<ExpiryState>(200, 'PATCH', `/branches/${id}`, {
      protected: true,
    });
    expect(keep).toMatchObject({ protected: true, expiresAt: null });
    const refused = await owner.api.request<{ message: string }>('PATCH', `/branches/${id}`, {
      expiresIn: '1h',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/protected: give protected: false/);
  });
});

describe('the sweep', () => {
  let featureId: string;
  let laterId: string;
  let handoffId: string;

  it("warns the policy's warning lead ahead, once; never about protected objects", async () => {
    const branches = await owner.api.expect<ExpiryState[]>(
      200,
      'GET',
      `/containers/${container.id}/branches`,
    );
    featureId = branches.find((b) => b.name === 'feature')!.id;
    const keepId = branches.find((b) => b.name === 'keep')!.id;
    const feature = await owner.api.expect<ExpiryState>(200, 'PATCH', `/branches/${featureId}`, {
      expiresIn: '2h',
    });
    expect(after(feature.expiresAt)).toBeLessThan(2 * HOUR + 10 * 60_000);
    ({ id: laterId } = (await owner.api.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'later', expiresIn: '3d' },
    )) as { id: string });

    await sweepAt(Date.now());
    await sweepAt(Date.now());
    await eventually(async () => expect(await told('expiry.soon', featureId)).toBe(1));
    // Three days away is beyond the warning lead of a day...
    expect(await told('expiry.soon', laterId)).toBe(0);
    await admin.expect(200, 'PUT', '/settings/expiry', {
      container: { default: '7d', max: '30d' },
      branch: { default: '1d', max: null },
      bookmark: { default: null, max: '14d' },
      warningLead: '4d',
    });
    // ...but within four.
    await sweepAt(Date.now());
    await eventually(async () => expect(await told('expiry.soon', laterId)).toBe(1));
    const silent = [container.id, keepId];
    expect((await notifications()).filter((n) => silent.includes(n.data.id))).toEqual([]);
  });

  it('deletes an expired branch through the normal delete path and tells its owners', async () => {
    await sweepAt(T0 + 3 * HOUR);
    await eventually(async () => {
      const branches = await owner.api.expect<ExpiryState[]>(
        200,
        'GET',
        `/containers/${container.id}/branches`,
      );
      expect(branches.map((b) => b.name).sort()).toEqual(['default', 'keep']);
    }, 60_000);
    expect(await told('expiry.expired', featureId)).toBe(1);
    const audit = await admin.expect<{ action: string; entityId: string }[]>(
      200,
      'GET',
      '/audit?limit=500',
    );
    expect(audit.some((e) => e.action === 'branch.expire' && e.entityId === featureId)).toBe(true);
  });

  it('reports the active branch and a bookmark another user branched from instead of deleting them, once', async () => {
    const activeId = container.activeBranchId;
    await owner.api.expect(200, 'PATCH', `/branches/${activeId}`, { expiresIn: '1h' });
    ({ id: handoffId } = (await owner.api.operate('POST', `/branches/${activeId}/bookmarks`, {
      name: 'handoff',
      expiresIn: '1h',
    })) as { id: string });
    await owner.api.expect(200, 'POST', `/bookmarks/${handoffId}/share`, {
      userIds: [viewer.id],
    });
    await createContainer(viewer.api, world.templateId, 'viewer-copy', handoffId);

    await sweepAt(T0 + 2 * HOUR);
    await sweepAt(T0 + 2 * HOUR + 60_000);

    const active = await branch(activeId);
    expect(active.expiryBlockedReason).toMatch(/branch "default" is active/);
    const handoff = await owner.api.expect<ExpiryState>(200, 'GET', `/bookmarks/${handoffId}`);
    expect(handoff.expiryBlockedReason).toMatch(
      /bookmark "handoff" is the origin of branch "default" of container "viewer-copy"/,
    );
    await eventually(async () => {
      expect(await told('expiry.blocked', activeId)).toBe(1);
      expect(await told('expiry.blocked', handoffId)).toBe(1);
    });
    const blocked = (await notifications()).find(
      (n) => n.event === 'expiry.blocked' && n.data.id === handoffId,
    );
    expect(blocked?.data).toMatchObject({ kind: 'bookmark', reason: handoff.expiryBlockedReason });

    // Extending is one call, and clears the reason.
    const extended = await owner.api.expect<ExpiryState>(200, 'PATCH', `/bookmarks/${handoffId}`, {
      expiresIn: '7d',
    });
    expect(extended.expiryBlockedReason).toBeNull();
    expect(after(extended.expiresAt, Date.now())).toBeGreaterThan(7 * DAY - 10 * 60_000);
  });

  it('keeps what a locked container holds until it is unlocked', async () => {
    const { id } = (await owner.api.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'while locked', expiresIn: '1h' },
    )) as { id: string };
    await owner.api.expect(200, 'POST', `/containers/${container.id}/lock`);
    await sweepAt(T0 + 2 * HOUR);
    const kept = await owner.api.expect<ExpiryState>(200, 'GET', `/bookmarks/${id}`);
    expect(kept.expiryBlockedReason).toBe(
      'container "expiring" is locked; it expires once unlocked',
    );
    await eventually(async () => expect(await told('expiry.blocked', id)).toBe(1));

    await owner.api.expect(200, 'POST', `/containers/${container.id}/unlock`);
    await sweepAt(T0 + 2 * HOUR);
    expect((await owner.api.get(`/bookmarks/${id}`)).status).toBe(404);
    await eventually(async () => expect(await told('expiry.expired', id)).toBe(1));
  });

  it('never expires protected objects', async () => {
    await sweepAt(T0 + 5 * DAY);
    const kept = await owner.api.expect<ContainerView & ExpiryState>(
      200,
      'GET',
      `/containers/${container.id}`,
    );
    expect(kept.protected).toBe(true);
    expect(kept.branches.map((b) => b.name).sort()).toEqual(['default', 'keep']);
    // The bookmark due in three days went; the protected container and branch were never mentioned.
    await eventually(async () => expect(await told('expiry.expired', laterId)).toBe(1));
    const keepId = kept.branches.find((b) => b.name === 'keep')!.id;
    const silent = [container.id, keepId];
    expect((await notifications()).filter((n) => silent.includes(n.data.id))).toEqual([]);
  });
});
