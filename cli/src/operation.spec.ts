import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ApiClient } from './api/client.js';
import type { EventSocket } from './api/job-updates.js';
import type { Job } from './api/types.js';
import { waitForJob } from './operation.js';
import { Output } from './output.js';

const JOB_ID = '77777777-7777-4777-8777-777777777777';
const job = (state: Job['state'], progress: number, extra: Partial<Job> = {}): Job =>
  ({
    id: JOB_ID,
    type: 'bookmark',
    containerId: null,
    state,
    progress,
    log: [],
    createdAt: '2026-12-04T10:00:00Z',
    startedAt: null,
    finishedAt: null,
    ...extra,
  }) as Job;

/** A socket that connects (or fails to) on the next turn; the test pushes events through `emit`. */
type FakeSocket = EventSocket & EventEmitter & { closed: boolean };
function fakeSocket(connects: boolean): FakeSocket {
  const socket = Object.assign(new EventEmitter(), {
    closed: false,
    disconnect() {
      socket.closed = true;
    },
  });
  setImmediate(() => socket.emit(connects ? 'connect' : 'connect_error', new Error('refused')));
  return socket as unknown as FakeSocket;
}

/** A client whose `GET /jobs/:id` answers `states` in turn (the last one again after that). */
function client(states: Job[], socket?: EventSocket) {
  const reads: number[] = [];
  const api = new ApiClient({
    url: 'http://bp.test',
    token: 'tok',
    fetch: (async () => {
      reads.push(Date.now());
      const answer = states.length > 1 ? states.shift() : states[0];
      return new Response(JSON.stringify(answer), { status: 200 });
    }) as typeof fetch,
    ...(socket ? { openSocket: () => socket } : {}),
  });
  return { api, reads };
}

const output = () =>
  new Output({ stdout: { write: () => true }, stderr: { write: () => true } }, false);
const HOUR = 3_600_000;

describe('waitForJob', () => {
  it('learns from the pushed event that the job succeeded, reading the job only once', async () => {
    const socket = fakeSocket(true);
    const { api, reads } = client([job('running', 10)], socket);
    const waiting = waitForJob(api, output(), JOB_ID, HOUR);
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.emit('job.updated', job('running', 50, { id: 'another-job' }));
    socket.emit('job.updated', job('running', 60));
    socket.emit('job.updated', job('succeeded', 100, { result: { pointId: 'p1' } }));
    const done = await waiting;
    expect(done).toMatchObject({ state: 'succeeded', result: { pointId: 'p1' } });
    expect(reads).toHaveLength(1);
    expect(socket.closed).toBe(true);
  });

  it('answers a failure pushed by the socket with its error', async () => {
    const socket = fakeSocket(true);
    const { api } = client([job('queued', 0)], socket);
    const waiting = waitForJob(api, output(), JOB_ID, HOUR, 'bookmark');
    setTimeout(() => socket.emit('job.updated', job('failed', 30, { error: 'pool full' })), 20);
    await expect(waiting).rejects.toThrow(`bookmark failed (job ${JOB_ID}, bookmark): pool full`);
  });

  it('does not wait for an event when the job had finished before the socket listened', async () => {
    const socket = fakeSocket(true);
    const { api, reads } = client([job('succeeded', 100)], socket);
    expect((await waitForJob(api, output(), JOB_ID, HOUR)).state).toBe('succeeded');
    expect(reads).toHaveLength(1);
  });

  it('polls GET /jobs/:id when the socket cannot connect', async () => {
    const socket = fakeSocket(false);
    const { api, reads } = client(
      [job('running', 10), job('running', 70), job('succeeded', 100)],
      socket,
    );
    expect((await waitForJob(api, output(), JOB_ID, HOUR)).state).toBe('succeeded');
    expect(reads).toHaveLength(3);
    expect(socket.closed).toBe(true);
  });

  it('falls back to polling when the socket is lost while waiting', async () => {
    const socket = fakeSocket(true);
    const { api, reads } = client(
      [job('running', 10), job('running', 20), job('succeeded', 100)],
      socket,
    );
    const waiting = waitForJob(api, output(), JOB_ID, HOUR);
    setTimeout(() => socket.emit('disconnect', 'transport close'), 20);
    expect((await waiting).state).toBe('succeeded');
    expect(reads).toHaveLength(3);
  });
});
