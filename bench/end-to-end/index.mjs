// End to end (issue 12 point 1): from the request to a client knowing the job succeeded,
// against the job's own time. A control plane with its agent (startStack) and one container;
// each bookmark is requested right after the socket said the one before had succeeded (as a
// script or the UI would), and is known finished when its `job.updated` push says so.
import { createSourceDatabase } from '@branchpoint/testing';
import { io } from 'socket.io-client';
import { withStack } from '../lib/stack.mjs';
import { median, percentile } from '../lib/timing.mjs';

// The stack's own clone ports, apart from the shared context's (57600+) and catalog-scale's.
const CLONE_PORTS = { first: 57960, last: 57989 };
const OVERHEAD_TARGET_MS = 100;

function connect(baseUrl, token) {
  const socket = io(baseUrl, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Ended jobs as the socket pushes them; `ended(id)` resolves once that job has ended. */
function endedJobs(socket) {
  const jobs = new Map();
  const waiting = new Map();
  socket.on('job.updated', (job) => {
    if (job.state !== 'succeeded' && job.state !== 'failed') return;
    jobs.set(job.id, job);
    waiting.get(job.id)?.(job);
  });
  return {
    ended: (jobId) =>
      jobs.has(jobId)
        ? Promise.resolve(jobs.get(jobId))
        : new Promise((resolve) => waiting.set(jobId, resolve)),
  };
}

/**
 * `runs` bookmarks, each right after the last was known done, in ms: request → known, the job's
 * own time, request → job recorded, recorded → started, finished → known. The last three
 * compare the client's clock with the control plane's (one machine, one clock; to the ms).
 */
async function bookmarkRuns(stack, container, token, runs) {
  const socket = await connect(stack.baseUrl, token);
  const pushed = endedJobs(socket);
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const requestedAt = Date.now();
      const response = await fetch(
        `${stack.apiUrl}/branches/${container.activeBranchId}/bookmarks`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `e2e-${i}` }),
        },
      );
      const { jobId } = await response.json();
      if (response.status !== 202) throw new Error(`bookmark: HTTP ${response.status}`);
      const job = await pushed.ended(jobId);
      const known = performance.now() - started;
      const knownAt = Date.now();
      if (job.state !== 'succeeded') throw new Error(`bookmark job ${jobId} failed: ${job.error}`);
      const [createdAt, startedAt, finishedAt] = [job.createdAt, job.startedAt, job.finishedAt].map(
        (time) => Date.parse(time),
      );
      samples.push({
        known,
        own: finishedAt - startedAt,
        toCreated: createdAt - requestedAt,
        toStart: startedAt - createdAt,
        toKnown: knownAt - finishedAt,
      });
    }
  } finally {
    socket.disconnect();
  }
  return samples;
}

/** Rows: the bookmark end to end beside the job's own time, and the overhead's median and p95. */
export async function measureEndToEnd({ runs = 20, log = () => undefined } = {}) {
  const source = await createSourceDatabase({
    prefix: 'bench_e2e',
    setupSql: 'CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 1000);',
  });
  try {
    return await withStack('bench-e2e', CLONE_PORTS, async (stack) => {
      const user = await stack.createUser('bench-e2e');
      const { id: templateId } = await stack.api.operate('POST', '/templates', {
        name: 'bench-e2e',
        hostId: stack.hostId,
        sources: [{ name: 'db', kind: 'postgres', connectionString: source.connectionString }],
      });
      const { id: containerId } = await user.api.operate('POST', '/containers', {
        name: 'bench-e2e',
        templateId,
      });
      const container = await user.api.expect(200, 'GET', `/containers/${containerId}`);
      log(`end-to-end: ${runs} bookmarks`);
      await bookmarkRuns(stack, container, user.token, 2); // warm-up
      const samples = await bookmarkRuns(stack, container, user.token, runs);
      const overheads = samples.map(({ known, own }) => known - own);
      const medianOf = (key) => median(samples.map((sample) => sample[key]));
      return [
        {
          figure: 'end to end: bookmark, request → socket client knows',
          value: medianOf('known') / 1000,
          unit: 's',
          floor: medianOf('own') / 1000,
          floorIs: "the job's own time (started → finished)",
          target: `≤ floor + ${OVERHEAD_TARGET_MS} ms`,
        },
        {
          figure: 'end to end: overhead over the job (median)',
          value: median(overheads),
          unit: 'ms',
          target: `≤ ${OVERHEAD_TARGET_MS} ms`,
        },
        {
          figure: 'end to end: overhead over the job (p95)',
          value: percentile(overheads, 95),
          unit: 'ms',
          target: `≤ ${OVERHEAD_TARGET_MS} ms`,
        },
        // Where the overhead is: the API, the queue, the socket.
        {
          figure: 'end to end: request → job recorded (median)',
          value: medianOf('toCreated'),
          unit: 'ms',
        },
        {
          figure: 'end to end: job recorded → started (median)',
          value: medianOf('toStart'),
          unit: 'ms',
        },
        {
          figure: 'end to end: job finished → socket client knows (median)',
          value: medianOf('toKnown'),
          unit: 'ms',
        },
      ];
    });
  } finally {
    await source.drop();
  }
}

export default {
  run: (context) => measureEndToEnd({ runs: context.quick ? 8 : 20, log: context.log }),
};
