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
const RECEIVER_HOST = '127.0.0.2';
const WEBHOOKS_PER_USER = 4;
/** The least BP_WEBHOOK_DELIVERIES_KEPT allows. */
const DELIVERIES_KEPT = 10;
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
      // The very first delivery fails, to prove it is retried; /gone is always 404.
      const status = path === '/gone' ? 404 : received.length === 0 ? 500 : 204;
      received.push({ path, body, signatureValid, status });
      res.writeHead(status).end();
    });
  });
  // On 127.0.0.2, the one loopback address the stack allows: 127.0.0.1 (and localhost) stay refused.
  await new Promise<void>((resolve) => receiver.listen(0, RECEIVER_HOST, resolve));
  receiverUrl = `http://${RECEIVER_HOST}:${(receiver.address() as AddressInfo).port}`;
  world = await startWorld('backend-webhooks', {
    backendEnv: {
      BP_BUG_URL_PATTERN: BUG_PATTERN,
      BP_EXPIRY_SWEEP_MS: '1000',
      BP_OUTBOUND_ALLOW: `${RECEIVER_HOST}/32`,
      BP_WEBHOOKS_PER_USER: String(WEBHOOKS_PER_USER),
      BP_WEBHOOK_DELIVERIES_KEPT: String(DELIVERIES_KEPT),
    },
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

    const history = await world.stack.api.expect<
      { state: string; attempts: number; outcome: string }[]
    >(200, 'GET', `/webhooks/${adminHook.id}/deliveries`);
    expect(history.map((d) => d.state)).toEqual(['succeeded', 'succeeded']);
    // A category, not the receiver's exact status or a socket error.
    expect(history.map((d) => d.outcome)).toEqual(['ok', 'ok']);
    expect(history[0]).not.toHaveProperty('responseStatus');
    expect(history[0]).not.toHaveProperty('error');
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

interface Delivery {
  event: string;
  state: string;
  attempts: number;
  outcome: string | null;
}

describe('the outbound fence', () => {
  const hook = (url: string) => ({ url, format: 'json', events: ['bookmark.shared'] });

  let shared: { activeBranchId: string } | undefined;
  /** Shares a new bookmark of the owner's with `user`, which notifies their webhooks. */
  async function shareWith(userId: string, name: string): Promise<void> {
    shared ??= await createContainer(owner.api, world.templateId, 'fenced-shares');
    const { id } = await owner.api.operate('POST', `/branches/${shared.activeBranchId}/bookmarks`, {
      name,
    });
    await owner.api.expect(200, 'POST', `/bookmarks/${id}/share`, { userIds: [userId] });
  }

  it('refuses URLs that are or resolve to loopback, private, link-local, CGNAT or metadata addresses', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const refused: [string, RegExp][] = [
      [`http://127.0.0.1:${port}/x`, /127\.0\.0\.1 is a loopback address/],
      // Decimal, hex and IPv4-mapped spellings of 127.0.0.1.
      [`http://2130706433:${port}/x`, /127\.0\.0\.1 is a loopback address/],
      [`http://0x7f000001:${port}/x`, /loopback/],
      [`http://[::ffff:127.0.0.1]:${port}/x`, /loopback/],
      [`http://[::1]:${port}/x`, /::1 is a loopback address/],
      // A name: localhost resolves to 127.0.0.1 (and ::1), not to the allowed 127.0.0.2.
      [`http://localhost:${port}/x`, /localhost resolves to a loopback address/],
      ['http://10.1.2.3/x', /private/],
      ['http://192.168.0.10/x', /private/],
      ['http://[fd12::1]/x', /private/],
      [
        'http://169.254.169.254/latest/meta-data/',
        /169\.254\.169\.254 is a cloud metadata address/,
      ],
      ['http://[fd00:ec2::254]/x', /cloud metadata/],
      ['http://169.254.10.1/x', /link-local/],
      ['http://100.64.0.1/x', /carrier-grade NAT/],
      ['http://0.0.0.0/x', /unspecified/],
    ];
    for (const [url, reason] of refused) {
      const answer = await viewer.api.post<{ code: string; message: string }>(
        '/webhooks',
        hook(url),
      );
      expect(answer.status, url).toBe(400);
      expect(answer.body.code, url).toBe('webhook.url-refused');
      expect(answer.body.message, url).toMatch(reason);
    }
    // Refused for admins too, and nothing was stored.
    const admin = await world.stack.api.post('/webhooks', hook(`http://127.0.0.1:${port}/x`));
    expect(admin.status).toBe(400);
    expect(await viewer.api.expect(200, 'GET', '/webhooks')).toEqual([]);
  });

  it('admins allow hosts and ranges; delivery checks the address again and sorts outcomes into categories', async () => {
    const fenced = await world.stack.createUser('fenced');
    // Only admins see and change the allow list.
    await fenced.api.expect(403, 'GET', '/settings/outbound');
    await fenced.api.expect(403, 'POST', '/settings/outbound', { entry: '127.0.0.3' });
    const invalid = await world.stack.api.post<{ code: string; message: string }>(
      '/settings/outbound',
      { entry: '10.0.0.0/33' },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('outbound-rule.invalid');
    expect(invalid.body.message).toMatch(/prefix length must be 0 to 32/);

    // A second receiver on 127.0.0.3, refused until an admin allows it.
    const hits: string[] = [];
    const second = createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume().on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => second.listen(0, '127.0.0.3', resolve));
    try {
      const secondUrl = `http://127.0.0.3:${(second.address() as AddressInfo).port}/second`;
      const before = await fenced.api.post<{ code: string }>('/webhooks', hook(secondUrl));
      expect(before.body.code).toBe('webhook.url-refused');

      const rule = await world.stack.api.expect<{ id: string; entry: string; source: string }>(
        201,
        'POST',
        '/settings/outbound',
        { entry: '127.0.0.3', note: 'test receiver' },
      );
      expect(rule).toMatchObject({ entry: '127.0.0.3/32', source: 'admin' });
      await world.stack.api.expect(409, 'POST', '/settings/outbound', { entry: '127.0.0.3/32' });
      const rules = await world.stack.api.expect<{ entry: string; source: string }[]>(
        200,
        'GET',
        '/settings/outbound',
      );
      expect(rules.map((r) => [r.entry, r.source])).toEqual([
        [`${RECEIVER_HOST}/32`, 'environment'],
        ['127.0.0.3/32', 'admin'],
      ]);

      const allowed = await fenced.api.expect<{ id: string }>(201, 'POST', '/webhooks', {
        ...hook(secondUrl),
      });
      const gone = await createWebhook(fenced.api, '/gone', {
        format: 'json',
        events: ['bookmark.shared'],
      });
      // Allowed, but nothing listens there.
      const closed = await fenced.api.expect<{ id: string }>(
        201,
        'POST',
        '/webhooks',
        hook(`http://${RECEIVER_HOST}:1/closed`),
      );
      const outcomes = async (id: string) =>
        fenced.api.expect<Delivery[]>(200, 'GET', `/webhooks/${id}/deliveries`);

      await shareWith(fenced.id, 'fence-one');
      await eventually(async () => {
        expect((await outcomes(allowed.id)).map((d) => [d.state, d.outcome])).toEqual([
          ['succeeded', 'ok'],
        ]);
        expect((await outcomes(gone.id))[0]?.outcome).toBe('http-4xx');
        expect((await outcomes(closed.id))[0]?.outcome).toBe('connection-refused');
      }, 30_000);
      expect(hits).toEqual(['/second']);

      // The rule goes: the stored webhook's next delivery is refused when it connects.
      await world.stack.api.expect(204, 'DELETE', `/settings/outbound/${rule.id}`);
      await shareWith(fenced.id, 'fence-two');
      await eventually(async () => {
        const latest = (await outcomes(allowed.id))[0]!;
        expect(latest.outcome).toBe('address-refused');
        expect(latest.attempts).toBeGreaterThanOrEqual(1);
      }, 30_000);
      expect(hits).toEqual(['/second']);
    } finally {
      await new Promise((resolve) => second.close(resolve));
    }
  });

  it(`caps webhooks at BP_WEBHOOKS_PER_USER (${WEBHOOKS_PER_USER}) per user, also when created at once`, async () => {
    const capped = await world.stack.createUser('capped');
    const answers = await Promise.all(
      Array.from({ length: WEBHOOKS_PER_USER + 3 }, (_, i) =>
        capped.api.post<{ code?: string; message?: string }>(
          '/webhooks',
          hook(`${receiverUrl}/capped-${i}`),
        ),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(WEBHOOKS_PER_USER);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    const refused = answers.find((a) => a.status === 409)!.body;
    expect(refused.code).toBe('webhook.limit-reached');
    expect(refused.message).toMatch(`BP_WEBHOOKS_PER_USER=${WEBHOOKS_PER_USER}`);
    const mine = await capped.api.expect<{ id: string }[]>(200, 'GET', '/webhooks');
    expect(mine).toHaveLength(WEBHOOKS_PER_USER);
    // Deleting one makes room for one.
    await capped.api.expect(204, 'DELETE', `/webhooks/${mine[0]!.id}`);
    await capped.api.expect(201, 'POST', '/webhooks', hook(`${receiverUrl}/capped-again`));
    await capped.api.expect(409, 'POST', '/webhooks', hook(`${receiverUrl}/capped-more`));
  });

  it(`keeps the newest BP_WEBHOOK_DELIVERIES_KEPT (${DELIVERIES_KEPT}) deliveries of a webhook`, async () => {
    const kept = await world.stack.createUser('kept');
    const { id: webhookId } = await createWebhook(kept.api, '/kept', {
      format: 'json',
      events: ['bookmark.shared'],
    });
    shared ??= await createContainer(owner.api, world.templateId, 'fenced-shares');
    const { id: bookmarkId } = await owner.api.operate(
      'POST',
      `/branches/${shared.activeBranchId}/bookmarks`,
      { name: 'shared again and again' },
    );
    // Each share after an unshare is new, so it notifies again.
    const shareOnce = async () => {
      await owner.api.expect(200, 'POST', `/bookmarks/${bookmarkId}/share`, {
        userIds: [kept.id],
      });
      await owner.api.expect(200, 'DELETE', `/bookmarks/${bookmarkId}/share`);
    };
    const arrived = () => received.filter((r) => r.path === '/kept' && r.status === 204);
    const shares = DELIVERIES_KEPT + 3;
    for (let i = 0; i < shares; i++) await shareOnce();
    // A burst loses nothing: pending deliveries are kept until sent.
    await eventually(async () => {
      expect(arrived()).toHaveLength(shares);
      const states = await kept.api.expect<{ state: string }[]>(
        200,
        'GET',
        `/webhooks/${webhookId}/deliveries`,
      );
      expect(states.every((d) => d.state === 'succeeded')).toBe(true);
    }, 30_000);
    // The next notification prunes to the newest.
    await shareOnce();
    await eventually(() => expect(arrived()).toHaveLength(shares + 1), 30_000);
    const history = await kept.api.expect<{ id: string; state: string }[]>(
      200,
      'GET',
      `/webhooks/${webhookId}/deliveries`,
    );
    expect(history).toHaveLength(DELIVERIES_KEPT);
    // The newest: the last deliveries' ids (each body names its delivery).
    const newest = received
      .filter((r) => r.path === '/kept')
      .slice(-DELIVERIES_KEPT)
      .map((r) => (JSON.parse(r.body) as { id: string }).id);
    expect(history.map((d) => d.id).sort()).toEqual([...newest].sort());
    const stored = await withClient(world.stack.databaseUrl, (client) =>
      client.query<{ n: string }>(
        'SELECT count(*) AS n FROM webhook_delivery WHERE "webhookId" = $1',
        [webhookId],
      ),
    );
    expect(Number(stored.rows[0]!.n)).toBe(DELIVERIES_KEPT);
  });
});
