import type { JobView } from '@branchpoint/contracts';
import { ApiClient, withClient } from '@branchpoint/testing';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, eventually, startWorld, stopWorld, type World } from './support.js';

interface Received {
  path: string;
  body: string;
  signatureValid: boolean;
  status: number;
}

const BUG_PATTERN = 'https://jira.example.com/browse/{key}';
let world: World;
let owner: { id: string; token: string; api: ApiClient };
let viewer: { id: string; token: string; api: ApiClient };
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Secrets by receiver path, to check signatures. */
const secrets = new Map<string, string>();

function verify(path: string, timestamp: string, signature: string, body: string): boolean {
  const secret = secrets.get(path);
  if (!secret) return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      const signatureValid = verify(
        path,
        String(req.headers['x-branchpoint-timestamp']),
        String(req.headers['x-branchpoint-signature']),
        body,
      );
      // The very first delivery fails, to prove it is retried.
      const status = received.length === 0 ? 500 : 204;
      received.push({ path, body, signatureValid, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  world = await startWorld('backend-webhooks', {
    backendEnv: { BP_BUG_URL_PATTERN: BUG_PATTERN, BP_EXPIRY_SWEEP_MS: '1000' },
  });
  owner = await world.stack.createUser('owner');
  viewer = await world.stack.createUser('viewer');
});

afterAll(async () => {
  await stopWorld(world);
  await new Promise((resolve) => receiver.close(resolve));
});

interface CreatedWebhook {
  id: string;
  secret: string;
  scope: string;
}

async function createWebhook(
  api: ApiClient,
  path: string,
  body: Record<string, unknown>,
): Promise<CreatedWebhook> {
  const webhook = await api.expect<CreatedWebhook>(201, 'POST', '/webhooks', {
    url: `${receiverUrl}${path}`,
    ...body,
  });
  secrets.set(path, webhook.secret);
  return webhook;
}

describe('webhooks', () => {
  it('refuses bad URLs, unknown events and admin scope for users', async () => {
    const bad = await viewer.api.post<{ message: string }>('/webhooks', {
      url: 'ftp://example.com/x',
      format: 'json',
      events: ['job.failed'],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/http or https/);
    const unknown = await viewer.api.post('/webhooks', {
      url: `${receiverUrl}/x`,
      format: 'json',
      events: ['nope'],
    });
    expect(unknown.status).toBe(400);
    const admin = await viewer.api.post('/webhooks', {
      url: `${receiverUrl}/x`,
      format: 'json',
      events: ['job.failed'],
      scope: 'admin',
    });
    expect(admin.status).toBe(403);
  });

  it('delivers signed notifications, retries a failed delivery, and records the history', async () => {
    const adminHook = await createWebhook(world.stack.api, '/admin', {
      format: 'json',
      events: ['job.failed', 'bookmark.shared'],
      scope: 'admin',
    });
    const viewerHook = await createWebhook(viewer.api, '/viewer', {
      format: 'slack',
      events: ['bookmark.shared'],
    });
    // The secret is shown once only.
    const listed = await viewer.api.expect<Record<string, unknown>[]>(200, 'GET', '/webhooks');
    expect(listed.map((w) => w['id'])).toEqual([viewerHook.id]);
    expect(listed[0]).not.toHaveProperty('secret');
    // Stored encrypted: the metadata database alone does not give it away.
    const stored = await withClient(world.stack.databaseUrl, (client) =>
      client.query<{ secret: string }>('SELECT secret FROM webhook WHERE id = $1', [viewerHook.id]),
    );
    expect(stored.rows[0]!.secret).toMatch(/^v1:/);
    expect(stored.rows[0]!.secret).not.toContain(viewerHook.secret);

    // A job that fails: ingesting from a database that does not exist.
    const accepted = await world.stack.api.expect<{ jobId: string }>(202, 'POST', '/templates', {
      name: 'broken',
      hostId: world.stack.hostId,
      sources: [
        {
          name: 'app-db',
          kind: 'postgres',
          connectionString: 'postgres://nobody:nothing@127.0.0.1:1/missing',
        },
      ],
    });
    const job: JobView = await world.stack.api.waitForJob(accepted.jobId);
    expect(job.state).toBe('failed');

    const container = await createContainer(owner.api, world.templateId, 'hooked');
    const { id: bookmarkId } = await owner.api.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'for the viewer' },
    );
    await owner.api.expect(200, 'POST', `/bookmarks/${bookmarkId}/share`, {
      userIds: [viewer.id],
    });

    await eventually(() => {
      const ok = received.filter((r) => r.status === 204);
      const adminEvents = ok
        .filter((r) => r.path === '/admin')
        .map((r) => (JSON.parse(r.body) as { event: string }).event);
      expect(adminEvents).toEqual(expect.arrayContaining(['job.failed', 'bookmark.shared']));
      expect(ok.filter((r) => r.path === '/viewer')).toHaveLength(1);
    }, 30_000);
    expect(received.every((r) => r.signatureValid)).toBe(true);
    expect(received[0]!.status).toBe(500);
    // The failed first delivery came again, byte for byte.
    expect(received.filter((r) => r.body === received[0]!.body).map((r) => r.status)).toEqual([
      500, 204,
    ]);

    const failed = received.find((r) => r.path === '/admin' && r.body.includes('job.failed'))!;
    const envelope = JSON.parse(failed.body) as { data: { jobId: string; error: string } };
    expect(envelope.data.jobId).toBe(job.id);
    expect(envelope.data.error).toBe(job.error);
    const slack = JSON.parse(received.find((r) => r.path === '/viewer')!.body) as object;
    expect(slack).toEqual({
      text: 'owner shared the Branchpoint bookmark "for the viewer" with you',
    });

    const history = await world.stack.api.expect<{ state: string; attempts: number }[]>(
      200,
      'GET',
      `/webhooks/${adminHook.id}/deliveries`,
    );
    expect(history.map((d) => d.state)).toEqual(['succeeded', 'succeeded']);
    // The job failure came first: its delivery took two attempts, the share's one.
    expect(history.map((d) => d.attempts).sort()).toEqual([1, 2]);
    // Someone else's webhook does not exist for you.
    await viewer.api.expect(404, 'GET', `/webhooks/${adminHook.id}/deliveries`);
    await viewer.api.expect(204, 'DELETE', `/webhooks/${viewerHook.id}`);
    expect(await viewer.api.expect(200, 'GET', '/webhooks')).toEqual([]);
  });
});

describe('expiry notifications', () => {
  it("tell the owners' webhooks that a bookmark expires soon, then that it expired", async () => {
    await createWebhook(owner.api, '/owner', {
      format: 'json',
      events: ['expiry.soon', 'expiry.expired'],
    });
    const container = await createContainer(owner.api, world.templateId, 'expiring');
    const { id } = await owner.api.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'short-lived', expiresAt: new Date(Date.now() + 3_000).toISOString() },
    );
    await eventually(() => {
      const events = received
        .filter((r) => r.path === '/owner' && r.status === 204)
        .map((r) => JSON.parse(r.body) as { event: string; data: { id: string } });
      expect(events.map((e) => [e.event, e.data.id])).toEqual([
        ['expiry.soon', id],
        ['expiry.expired', id],
      ]);
    }, 30_000);
    expect(received.every((r) => r.signatureValid)).toBe(true);
  });
});

describe('bug references', () => {
  it('links keys through BP_BUG_URL_PATTERN and finds bookmarks by key or link', async () => {
    const container = await createContainer(owner.api, world.templateId, 'bugs');
    const { id } = await owner.api.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'repro', bugRef: 'BUG-4711' },
    );
    const bookmark = await owner.api.expect<{ bugUrl: string | null }>(
      200,
      'GET',
      `/bookmarks/${id}`,
    );
    expect(bookmark.bugUrl).toBe('https://jira.example.com/browse/BUG-4711');

    const byKey = await owner.api.expect<{ id: string }[]>(
      200,
      'GET',
      '/bookmarks?bugRef=BUG-4711',
    );
    expect(byKey.map((b) => b.id)).toEqual([id]);
    const byUrl = await owner.api.expect<{ id: string }[]>(
      200,
      'GET',
      `/bookmarks?bugRef=${encodeURIComponent('https://jira.example.com/browse/BUG-4711')}`,
    );
    expect(byUrl.map((b) => b.id)).toEqual([id]);
    expect(await owner.api.expect(200, 'GET', '/bookmarks?bugRef=BUG-47')).toEqual([]);
  });
});
