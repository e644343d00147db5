import type { ExpiryWarning, JobView, ServerEventMap } from '@branchpoint/contracts';
import { ApiClient, withClient } from '@branchpoint/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  getContainer,
  names,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

let world: World;
let owner: { id: string; token: string; api: ApiClient };
let viewer: { id: string; token: string; api: ApiClient };
let container: ContainerView;
const sockets: Socket[] = [];

function connect(token: string, url = world.stack.baseUrl): Promise<Socket<ServerEventMap>> {
  const socket: Socket<ServerEventMap> = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

beforeAll(async () => {
  world = await startWorld('backend-jobs', {
    backendEnv: { BP_EXPIRY_SWEEP_MS: '1000' },
  });
  owner = await world.stack.createUser('owner');
  viewer = await world.stack.createUser('viewer');
  container = await createContainer(owner.api, world.templateId, 'events');
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await stopWorld(world);
});

describe('socket events', () => {
  it('refuses a socket without a valid token', async () => {
    await expect(connect('bpt_wrong')).rejects.toThrow(/unauthorized/);
  });

  it("pushes job progress and timeline changes to the container's owners and the users it is shared with", async () => {
    const ownerSocket = await connect(owner.token);
    const viewerSocket = await connect(viewer.token);
    const jobs: JobView[] = [];
    const timelines: string[] = [];
    const viewerTimelines: string[] = [];
    ownerSocket.on('job.updated', (job) => jobs.push(job));
    ownerSocket.on('timeline.changed', (event) => timelines.push(event.branchId));
    viewerSocket.on('timeline.changed', (event) => viewerTimelines.push(event.branchId));

    const { id: bookmarkId, job } = await owner.api.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'to share' },
    );
    await owner.api.expect(200, 'POST', `/bookmarks/${bookmarkId}/share`, { everyone: true });
    await owner.api.operate('POST', `/branches/${container.activeBranchId}/reset`);

    await eventually(() => {
      const states = jobs.filter((j) => j.id === job.id).map((j) => j.state);
      expect(states[0]).toBe('queued');
      expect(states).toContain('running');
      expect(states.at(-1)).toBe('succeeded');
      expect(timelines).toContain(container.activeBranchId);
      expect(viewerTimelines).toContain(container.activeBranchId);
    });
  });

  it('pushes each job as it ends, its log timing every agent call; a job queued behind another on its container runs after it', async () => {
    const socket = await connect(owner.token);
    const ended = new Map<string, JobView>();
    socket.on('job.updated', (job) => {
      if (job.state === 'succeeded' || job.state === 'failed') ended.set(job.id, job);
    });
    const branch = container.activeBranchId;
    // Both at once: the reset finds the container busy and waits for the bookmark to release it.
    const bookmark = await owner.api.expect<{ jobId: string }>(
      202,
      'POST',
      `/branches/${branch}/bookmarks`,
      {
        name: 'timed',
      },
    );
    const reset = await owner.api.expect<{ jobId: string }>(
      202,
      'POST',
      `/branches/${branch}/reset`,
    );
    await eventually(() => {
      expect(ended.get(bookmark.jobId)?.state).toBe('succeeded');
      expect(ended.get(reset.jobId)?.state).toBe('succeeded');
    }, 60_000);
    const pushed = ended.get(bookmark.jobId)!;
    const timings = pushed.log.filter((line) => line.startsWith('timing: '));
    expect(
      timings.some((line) => /^timing: agent (PUT|POST) \/v1\/containers\/\S+: \d+ ms$/.test(line)),
    ).toBe(true);
    expect(pushed.log.at(-1)).toMatch(/^timing: queued \d+ ms, ran \d+ ms$/);
    // What the socket pushed is what GET /jobs/:id answers.
    const read = await owner.api.expect<JobView>(200, 'GET', `/jobs/${bookmark.jobId}`);
    expect(read.log).toEqual(pushed.log);
    expect(read.state).toBe('succeeded');
  });
});

describe('several control planes', () => {
  it('deliver events to sockets on another replica, and an api-only replica serves the API', async () => {
    const replicaUrl = await world.stack.startReplica({ BP_ROLE: 'api' });
    const socket = await connect(owner.token, replicaUrl);
    const finished: string[] = [];
    socket.on('job.updated', (job) => {
      if (job.state === 'succeeded') finished.push(job.id);
    });
    const viaReplica = new ApiClient(`${replicaUrl}/api/v1`, owner.token);
    // Queued through the api-only replica, run by the first one's worker, heard on the replica's socket.
    const { job } = await viaReplica.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'via replica' },
    );
    await eventually(() => expect(finished).toContain(job.id));
  });
});

describe('a control plane that stops mid-job', () => {
  it('finishes the interrupted job after a crash and restart, and the container still works', async () => {
    const accepted = await owner.api.expect<{ jobId: string; id: string }>(
      202,
      'POST',
      '/containers',
      { name: 'crash', templateId: world.templateId },
    );
    for (let i = 0; i < 100; i++) {
      const job = await owner.api.expect<JobView>(200, 'GET', `/jobs/${accepted.jobId}`);
      if (job.state !== 'queued') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await world.stack.restartBackend('SIGKILL');

    const job = await owner.api.waitForJob(accepted.jobId, 150_000);
    expect(['succeeded', 'failed']).toContain(job.state);
    console.log(
      `job interrupted by a crash ended ${job.state}${job.error ? `: ${job.error}` : ''}`,
    );
    if (job.state === 'succeeded') {
      const view = await getContainer(owner.api, accepted.id);
      expect(await names(view)).toEqual(['Ada', 'Grace', 'Linus']);
    }
    // The control plane serves requests and runs new jobs after the restart.
    await owner.api.operate('POST', `/branches/${container.activeBranchId}/reset`);
  });
});

describe('expiry', () => {
  it('warns the owners, then deletes an expired bookmark and an expired container', async () => {
    const socket = await connect(owner.token);
    const warnings: ExpiryWarning[] = [];
    socket.on('expiry.warning', (warning) => warnings.push(warning));
    const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
    const { id } = await owner.api.operate('POST', '/containers', {
      name: 'short-lived',
      templateId: world.templateId,
    });
    const short = await owner.api.expect<ContainerView>(200, 'GET', `/containers/${id}`);
    const { id: bookmarkId } = await owner.api.operate(
      'POST',
      `/branches/${short.activeBranchId}/bookmarks`,
      { name: 'short', expiresAt: soon(8_000) },
    );
    // The container's expiry is set once its bookmark exists: had it lapsed while the bookmark
    // was being made, the bookmark would go with it, unwarned, however slow the machine.
    await owner.api.expect(200, 'PATCH', `/containers/${id}`, { expiresAt: soon(12_000) });

    const deadline = Date.now() + 60_000;
    while ((await owner.api.get(`/containers/${id}`)).status !== 404) {
      if (Date.now() > deadline) throw new Error('the expired container was not deleted');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect((await owner.api.get(`/bookmarks/${bookmarkId}`)).status).toBe(404);
    await eventually(() =>
      expect(warnings.map((w) => `${w.kind}:${w.id}`).sort()).toEqual(
        [`bookmark:${bookmarkId}`, `container:${id}`].sort(),
      ),
    );
    const audit = await world.stack.api.expect<{ action: string; entityId: string }[]>(
      200,
      'GET',
      '/audit?limit=500',
    );
    expect(audit.some((e) => e.action === 'container.expire' && e.entityId === id)).toBe(true);
  });
});

describe('the agent token at rest', () => {
  const storedToken = async (): Promise<string> =>
    withClient(world.stack.databaseUrl, async (client) => {
      const { rows } = await client.query<{ token: string }>(
        'SELECT token FROM host WHERE id = $1',
        [world.stack.hostId],
      );
      return rows[0]!.token;
    });

  it('is stored encrypted, and never answered or logged', async () => {
    const stored = await storedToken();
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain(world.stack.agentToken);
    const hosts = await world.stack.api.expect<unknown[]>(200, 'GET', '/hosts');
    expect(JSON.stringify(hosts)).not.toContain(world.stack.agentToken);
    const log = readFileSync(join(world.stack.logDir, 'backend.log'), 'utf8');
    expect(log).not.toContain(world.stack.agentToken);
  });

  it('is rotated with PATCH /hosts/:id: a wrong token takes the host down, the right one brings it back', async () => {
    const path = `/hosts/${world.stack.hostId}`;
    const wrong = await world.stack.api.expect<{ status: string; lastError: string }>(
      200,
      'PATCH',
      path,
      { token: 'not-the-agent-token' },
    );
    expect(wrong.status).toBe('down');
    const right = await world.stack.api.expect<{ status: string }>(200, 'PATCH', path, {
      token: world.stack.agentToken,
    });
    expect(right.status).toBe('up');
    const stored = await storedToken();
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain(world.stack.agentToken);
  });

  it('encrypts a token stored in plain text by an earlier version when the control plane starts', async () => {
    await withClient(world.stack.databaseUrl, (client) =>
      client.query('UPDATE host SET token = $1 WHERE id = $2', [
        world.stack.agentToken,
        world.stack.hostId,
      ]),
    );
    await world.stack.restartBackend();
    const stored = await storedToken();
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain(world.stack.agentToken);
    // The control plane still reaches the agent with it.
    await owner.api.operate('POST', `/branches/${container.activeBranchId}/reset`);
  });
});
