import { FakeForge, withClient, type ApiClient } from '@branchpoint/testing';
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  getContainer,
  names,
  sql,
  startWorld,
  stopWorld,
  type World,
} from './support.js';

interface Config {
  id: string;
  webhookSecret: string;
  inboundUrl: string;
}
interface Event {
  id: string;
  deliveryId: string;
  number: number | null;
  state: string;
  detail: string | null;
  commentOutcome: string | null;
  slackOutcome: string | null;
}
interface Answer {
  status: string;
  eventId: string;
  reason?: string;
}

let world: World;
let forge: FakeForge;
let admin: ApiClient;
/** Without a token: the forges call in as nobody. */
let anonymous: ApiClient;
let bookmarkId: string;

beforeAll(async () => {
  forge = await FakeForge.start('127.0.0.2');
  // The fake forge listens on 127.0.0.2, the one loopback address this stack lets out.
  world = await startWorld('backend-pull-requests', {
    backendEnv: { BP_OUTBOUND_ALLOW: '127.0.0.2/32' },
    clonePorts: { first: 57700, last: 57749 },
  });
  admin = world.stack.api;
  anonymous = admin.as(null);
  const seed = await createContainer(admin, world.templateId, 'seed');
  await sql(seed, `INSERT INTO employees (name, salary) VALUES ('Barbara', 140)`);
  ({ id: bookmarkId } = (await admin.operate('POST', `/branches/${seed.activeBranchId}/bookmarks`, {
    name: 'for pull requests',
  })) as { id: string });
}, 300_000);

afterAll(async () => {
  await stopWorld(world);
  await forge?.stop();
});

function configure(body: Record<string, unknown>): Promise<Config> {
  return admin.expect<Config>(201, 'POST', `/templates/${world.templateId}/pull-request-configs`, {
    bookmarkId,
    apiToken: 'forge-token',
    ...body,
  });
}

function githubDelivery(
  config: Config,
  payload: unknown,
  delivery: string = randomUUID(),
  secret = config.webhookSecret,
) {
  const raw = JSON.stringify(payload);
  return anonymous.request<Answer>('POST', `/forge/github/${config.id}`, raw, {
    'x-github-event': 'pull_request',
    'x-github-delivery': delivery,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
  });
}

function gitlabDelivery(config: Config, payload: unknown, token = config.webhookSecret) {
  return anonymous.request<Answer>('POST', `/forge/gitlab/${config.id}`, JSON.stringify(payload), {
    'x-gitlab-event': 'Merge Request Hook',
    'x-gitlab-event-uuid': randomUUID(),
    'x-gitlab-token': token,
  });
}

const pullRequest = (action: string, number: number, labels: string[] = []) => ({
  action,
  number,
  pull_request: { number, labels: labels.map((name) => ({ name })) },
});

/** Waits until the event is handled; returns it. */
async function handled(config: Config, eventId: string): Promise<Event> {
  let found: Event | undefined;
  await eventually(async () => {
    const events = await admin.expect<Event[]>(
      200,
      'GET',
      `/pull-request-configs/${config.id}/events`,
    );
    found = events.find((event) => event.id === eventId);
    expect(found?.state).not.toBe('pending');
    // Making a container waits behind every other job of a loaded machine.
  }, 300_000);
  return found!;
}

async function containerNamed(name: string): Promise<string | undefined> {
  const all = await admin.expect<{ id: string; name: string }[]>(
    200,
    'GET',
    '/containers?limit=100',
  );
  return all.find((container) => container.name === name)?.id;
}

describe('pull-request databases: GitHub', () => {
  let config: Config;

  it('is configured by admins and owners only, with secrets stored sealed and never returned', async () => {
    const stranger = (await world.stack.createUser('stranger')).api;
    const refused = await stranger.post(`/templates/${world.templateId}/pull-request-configs`, {
      forge: 'github',
      repository: 'acme/shop',
      apiToken: 't',
      bookmarkId,
    });
    expect(refused.status).toBe(403);
    const bad = await admin.post(`/templates/${world.templateId}/pull-request-configs`, {
      forge: 'github',
      repository: 'not a repo',
      apiToken: 't',
      bookmarkId,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/repository must be/);
    const refusedUrl = await admin.post(`/templates/${world.templateId}/pull-request-configs`, {
      forge: 'github',
      repository: 'acme/shop',
      apiToken: 't',
      bookmarkId,
      apiUrl: 'http://127.0.0.1:9/',
    });
    expect(refusedUrl.status).toBe(400);
    expect(JSON.stringify(refusedUrl.body)).toMatch(/apiUrl refused/);

    config = await configure({
      forge: 'github',
      repository: 'acme/shop',
      apiUrl: forge.url,
      resetOnPush: true,
      slackUrl: `${forge.url}/slack/T0/B0/x`,
    });
    expect(config.webhookSecret).toMatch(/^prsec_/);
    expect(config.inboundUrl).toMatch(new RegExp(`/api/v1/forge/github/${config.id}$`));
    const shown = await admin.expect<Record<string, unknown>>(
      200,
      'GET',
      `/pull-request-configs/${config.id}`,
    );
    expect(shown).not.toHaveProperty('webhookSecret');
    expect(shown).not.toHaveProperty('apiToken');
    expect(shown['slack']).toBe(true);
    const [stored] = await withClient(
      world.stack.databaseUrl,
      async (client) =>
        (
          await client.query<{ apiToken: string; webhookSecret: string }>(
            'SELECT "apiToken", "webhookSecret" FROM pull_request_config WHERE id = $1',
            [config.id],
          )
        ).rows,
    );
    expect(stored!.apiToken).toMatch(/^v1:/);
    expect(stored!.webhookSecret).not.toContain(config.webhookSecret);
  });

  it('refuses bad signatures, unknown configurations and malformed events', async () => {
    const forged = await githubDelivery(
      config,
      pullRequest('opened', 7),
      randomUUID(),
      'wrong secret',
    );
    expect(forged.status).toBe(401);
    const unknown = await githubDelivery({ ...config, id: randomUUID() }, pullRequest('opened', 7));
    expect(unknown.status).toBe(404);
    const malformed = await githubDelivery(config, { action: 'opened' });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toMatch(/pull_request must be an object/);
    const edited = await githubDelivery(config, pullRequest('edited', 7));
    expect(edited.status).toBe(202);
    expect(edited.body).toMatchObject({
      status: 'ignored',
      reason: expect.stringMatching(/"edited"/),
    });
  });

  it('makes a container on open, resets it on new commits, deletes it on close, with one comment', async () => {
    const opened = await githubDelivery(config, pullRequest('opened', 7), 'delivery-open-7');
    expect(opened.status).toBe(202);
    expect(opened.body.status).toBe('accepted');
    // The forge redelivers: the same event, not a second one.
    const again = await githubDelivery(config, pullRequest('opened', 7), 'delivery-open-7');
    expect(again.body).toEqual({ status: 'duplicate', eventId: opened.body.eventId });

    const made = await handled(config, opened.body.eventId);
    expect(made, made.detail ?? '').toMatchObject({
      state: 'succeeded',
      commentOutcome: 'ok',
      slackOutcome: 'ok',
    });
    const id = await containerNamed('pr-shop-7');
    expect(id).toBeDefined();
    const container = await getContainer(admin, id!);
    // The bookmark's data, queryable.
    expect(await names(container)).toContain('Barbara');
    const [comment, ...others] = forge.commentsOn('github:acme/shop#7');
    expect(others).toEqual([]);
    expect(comment!.body).toContain(String(container.endpoints[0]!.port));
    expect(comment!.body).toContain(`branchpoint connection-string ${id}`);
    expect(comment!.body).not.toContain(container.endpoints[0]!.password);
    const posted = forge.calls.find(
      (call) => call.method === 'POST' && call.path.endsWith('/issues/7/comments'),
    );
    expect(posted!.headers['authorization']).toBe('Bearer forge-token');
    expect(forge.slackMessages().some((text) => text.startsWith('acme/shop#7:'))).toBe(true);

    await sql(
      container,
      `INSERT INTO employees (name, salary) VALUES ('Written by a test run', 1)`,
    );
    // The forge fails the first comment call: it is retried.
    forge.failNext(1);
    const failedBefore = forge.calls.filter((call) => call.status === 500).length;
    const pushed = await githubDelivery(config, pullRequest('synchronize', 7));
    expect(await handled(config, pushed.body.eventId)).toMatchObject({
      state: 'succeeded',
      detail: expect.stringMatching(/reset/),
      commentOutcome: 'ok',
    });
    expect(forge.calls.filter((call) => call.status === 500)).toHaveLength(failedBefore + 1);
    const reset = await names(await getContainer(admin, id!));
    expect(reset).toContain('Barbara');
    expect(reset).not.toContain('Written by a test run');

    const closed = await githubDelivery(config, pullRequest('closed', 7));
    expect(await handled(config, closed.body.eventId)).toMatchObject({
      state: 'succeeded',
      commentOutcome: 'ok',
    });
    expect((await admin.get(`/containers/${id}`)).status).toBe(404);
    const comments = forge.commentsOn('github:acme/shop#7');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/deleted/);
    expect(
      forge.calls.some(
        (call) => call.method === 'PATCH' && call.path.endsWith(`/issues/comments/${comment!.id}`),
      ),
    ).toBe(true);
  }, 900_000);

  it('with a label filter, makes databases only for labelled pull requests', async () => {
    await admin.expect(200, 'PATCH', `/pull-request-configs/${config.id}`, {
      label: 'needs-db',
      slackUrl: null,
    });
    const unlabelled = await githubDelivery(config, pullRequest('opened', 8, ['docs']));
    expect(await handled(config, unlabelled.body.eventId)).toMatchObject({
      state: 'ignored',
      detail: expect.stringMatching(/no label "needs-db"/),
    });
    expect(await containerNamed('pr-shop-8')).toBeUndefined();
    const labelled = await githubDelivery(config, pullRequest('labeled', 8, ['docs', 'needs-db']));
    expect(await handled(config, labelled.body.eventId)).toMatchObject({
      state: 'succeeded',
      slackOutcome: null,
    });
    expect(await containerNamed('pr-shop-8')).toBeDefined();
    const closed = await githubDelivery(config, pullRequest('closed', 8, ['docs', 'needs-db']));
    expect(await handled(config, closed.body.eventId)).toMatchObject({ state: 'succeeded' });
    expect(await containerNamed('pr-shop-8')).toBeUndefined();
  }, 900_000);
});

describe('pull-request databases: GitLab', () => {
  it('makes a container when a merge request opens and deletes it when it merges', async () => {
    const config = await configure({
      forge: 'gitlab',
      repository: 'group/app',
      apiUrl: `${forge.url}/api/v4`,
    });
    const mergeRequest = (action: string) => ({
      object_kind: 'merge_request',
      object_attributes: { iid: 3, action },
      labels: [],
    });
    expect((await gitlabDelivery(config, mergeRequest('open'), 'wrong token')).status).toBe(401);
    // A GitLab configuration is not reachable through the GitHub route.
    expect((await githubDelivery(config, pullRequest('opened', 3))).status).toBe(404);

    const opened = await gitlabDelivery(config, mergeRequest('open'));
    expect(opened.status).toBe(202);
    expect(await handled(config, opened.body.eventId)).toMatchObject({
      state: 'succeeded',
      commentOutcome: 'ok',
    });
    const id = await containerNamed('pr-app-3');
    expect(id).toBeDefined();
    const [note] = forge.commentsOn('gitlab:group/app!3');
    expect(note!.body).toContain(`branchpoint connection-string ${id}`);
    expect(
      forge.calls.find((call) => call.path.endsWith('/merge_requests/3/notes'))!.headers[
        'private-token'
      ],
    ).toBe('forge-token');

    const merged = await gitlabDelivery(config, mergeRequest('merge'));
    expect(await handled(config, merged.body.eventId)).toMatchObject({ state: 'succeeded' });
    expect((await admin.get(`/containers/${id}`)).status).toBe(404);
    expect(forge.commentsOn('gitlab:group/app!3')).toHaveLength(1);
    expect(forge.commentsOn('gitlab:group/app!3')[0]!.body).toMatch(/deleted/);
  }, 900_000);
});
