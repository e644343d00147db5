import type { JobView, ServerEventMap } from '@branchpoint/contracts';
import { ApiClient } from '@branchpoint/testing';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, getContainer, names, startWorld, stopWorld, type World } from './support.js';

// Two control-plane replicas behind one database and Redis (deploy/kubernetes runs two): a
// replica killed in the middle of a job, whose job another replica finishes, and socket
// events that reach clients connected to either replica.

let world: World;
let owner: { id: string; token: string; api: ApiClient };
const sockets: Socket[] = [];

function connect(url: string): Promise<Socket<ServerEventMap>> {
  const socket: Socket<ServerEventMap> = io(url, {
    auth: { token: owner.token },
    transports: ['websocket'],
    reconnection: false,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** The ids of the jobs a socket heard succeed. */
function succeededOn(socket: Socket<ServerEventMap>): string[] {
  const ids: string[] = [];
  socket.on('job.updated', (job) => {
    if (job.state === 'succeeded') ids.push(job.id);
  });
  return ids;
}

beforeAll(async () => {
  // The first replica may be told to die at a step of a job (PUT /test/fault).
  world = await startWorld('replicas', { backendEnv: { BP_FAULT_INJECTION: 'on' } });
  owner = await world.stack.createUser('replica-owner');
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await stopWorld(world);
});

describe('two control-plane replicas', () => {
  it('finish a job on the other replica when the one running it is killed, and tell sockets on either', async () => {
    // An API-only replica takes the request and holds a socket; the first replica is the only
    // worker, and dies the moment the agent has made the container.
    const apiReplica = await world.stack.startReplica({ BP_ROLE: 'api' });
    const viaApiReplica = new ApiClient(`${apiReplica}/api/v1`, owner.token);
    const heardOnApiReplica = succeededOn(await connect(apiReplica));
    await world.stack.api.expect(204, 'PUT', '/test/fault', {
      step: 'create-container:after-agent',
    });

    const accepted = await viaApiReplica.expect<{ jobId: string; id: string }>(
      202,
      'POST',
      '/containers',
      { name: 'survivor', templateId: world.templateId },
    );
    await eventually(async () => {
      const job = await viaApiReplica.expect<JobView>(200, 'GET', `/jobs/${accepted.jobId}`);
      expect(job.state).not.toBe('queued');
    }, 60_000);

    let heardOnWorker: string[] = [];
    let finished: JobView | undefined;
    // Killed (unless the fault killed it already); while it is down a second full replica
    // starts, and only it can take the job up again.
    await world.stack.restartBackend('SIGKILL', async () => {
      const worker = await world.stack.startReplica();
      heardOnWorker = succeededOn(await connect(worker));
      finished = await viaApiReplica.waitForJob(accepted.jobId, 150_000);
    });

    expect(finished?.state, finished?.error ?? '').toBe('succeeded');
    const container = await getContainer(owner.api, accepted.id);
    expect((container as typeof container & { state: string }).state).toBe('ready');
    expect(await names(container)).toEqual(['Ada', 'Grace', 'Linus']);
    await eventually(() => expect(heardOnApiReplica).toContain(accepted.jobId));

    // A job the restarted first replica may run is heard on both other replicas' sockets.
    const { job } = await viaApiReplica.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'after the failover' },
    );
    await eventually(() => {
      expect(heardOnApiReplica).toContain(job.id);
      expect(heardOnWorker).toContain(job.id);
    });
  });
});
