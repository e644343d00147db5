import { setTimeout as delay } from 'node:timers/promises';
import { io } from 'socket.io-client';
import type { Job } from './types.js';

/** How long the CLI waits for the control plane's socket before it polls `GET /jobs/:id` instead. */
export const CONNECT_TIMEOUT_MS = 3_000;

/** The few socket.io calls the CLI makes; a fake in tests. */
export interface EventSocket {
  on(event: string, listener: (payload: never) => void): unknown;
  disconnect(): unknown;
}

/** Opens an authenticated socket to the control plane at `url`. */
export type OpenSocket = (url: string, token: string) => EventSocket;

/** socket.io at `<url>/socket.io`, the token in `auth.token`; no reconnection: the CLI polls then. */
export const openSocketIo: OpenSocket = (url, token) =>
  io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
  });

/**
 * The job updates the control plane pushes to this user (socket event `job.updated`), so that
 * `--wait` learns a job finished the moment it does. Undefined when the socket does not connect
 * within `timeoutMs`: the caller polls instead.
 */
export async function connectJobUpdates(
  open: OpenSocket,
  url: string,
  token: string,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<JobUpdates | undefined> {
  const socket = open(url, token);
  const updates = new JobUpdates(socket);
  const connected = await Promise.race([
    new Promise<boolean>((resolve) => {
      socket.on('connect', () => resolve(true));
      socket.on('connect_error', () => resolve(false));
    }),
    delay(timeoutMs, false, { ref: false }),
  ]);
  if (connected) return updates;
  updates.close();
  return undefined;
}

/** Pushed job states, newest per job, until taken; knows when the socket was lost. */
export class JobUpdates {
  private readonly latest = new Map<string, Job>();
  private wake: (() => void) | undefined;
  private lostConnection = false;

  constructor(private readonly socket: EventSocket) {
    socket.on('job.updated', (job: Job) => {
      this.latest.set(job.id, job);
      this.wake?.();
    });
    socket.on('disconnect', () => {
      this.lostConnection = true;
      this.wake?.();
    });
  }

  /** True once the socket closed: updates may be missed from then on. */
  get lost(): boolean {
    return this.lostConnection;
  }

  /** The job's newest pushed state; undefined when none came within `timeoutMs` or the socket was lost. */
  async next(jobId: string, timeoutMs: number): Promise<Job | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (!this.latest.has(jobId) && !this.lostConnection && Date.now() < deadline) {
      const woken = new Promise<void>((resolve) => (this.wake = resolve));
      await Promise.race([woken, delay(deadline - Date.now(), undefined, { ref: false })]);
      this.wake = undefined;
    }
    const job = this.latest.get(jobId);
    this.latest.delete(jobId);
    return job;
  }

  close(): void {
    this.socket.disconnect();
  }
}
