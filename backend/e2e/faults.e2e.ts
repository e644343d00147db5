import {
  AGENT_FAULT_STEPS,
  CONTROL_PLANE_FAULT_STEPS,
  type AgentFaultStep,
  type ControlPlaneFaultStep,
} from '@branchpoint/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  getContainer,
  names,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

/**
 * Kills the storage agent, and separately the control plane, at every step boundary of every
 * operation (the test-only fault points, BP_FAULT_INJECTION=on), starts it again, and checks
 * that the job ends, the branch the API calls active is the one served (rows unique to each
 * branch), no bookmark is lost, one reconcile finds nothing to report, and the container
 * takes the next operation.
 */

const FAULTS_ON = { BP_FAULT_INJECTION: 'on' };
const ORIGINAL = ['Ada', 'Grace', 'Linus'];

let world: World;
let container: ContainerView;
/** What each branch must serve: the employee names, as the operations so far left them. */
const rowsOf = new Map<string, string[]>();
/** Bookmarks that must survive every fault, with the rows their point holds. */
const bookmarks = new Map<string, string[]>();
let branchA: string;
let branchB: string;
let active: string;
let serial = 0;

const unique = (label: string) => `${label}-${++serial}`;
const sorted = (rows: string[]) => [...rows].sort();

beforeAll(async () => {
  world = await startWorld('faults', {
    clonePorts: { first: 57400, last: 57499 },
    agentEnv: FAULTS_ON,
    backendEnv: FAULTS_ON,
  });
  container = await createContainer(world.stack.api, world.templateId, 'faults');
  branchA = container.activeBranchId;
  await sql(container, `INSERT INTO employees (name, salary) VALUES ('only-in-A', 1)`);
  const head = await bookmark('base of B');
  const { id } = await world.stack.api.operate('POST', `/containers/${container.id}/branches`, {
    name: 'b',
    fromBookmarkId: head,
  });
  branchB = id!;
  await world.stack.api.operate('POST', `/branches/${branchB}/activate`);
  await sql(container, `INSERT INTO employees (name, salary) VALUES ('only-in-B', 1)`);
  rowsOf.set(branchA, [...ORIGINAL, 'only-in-A']);
  rowsOf.set(branchB, [...ORIGINAL, 'only-in-A', 'only-in-B']);
  active = branchB;
}, 300_000);

afterAll(async () => {
  await stopWorld(world);
}, 120_000);

// A case that failed half-way must not leave the next one without an agent or control plane.
afterEach(async () => {
  const up = (get: () => Promise<unknown>) =>
    get().then(
      () => true,
      () => false,
    );
  if (!(await up(() => agentGet(`${world.stack.agentUrl}/v1/health`))))
    await world.stack.restartAgent();
  if (!(await up(() => world.stack.api.expect(200, 'GET', '/health'))))
    await world.stack.restartBackend();
}, 120_000);

async function bookmark(name: string): Promise<string> {
  const { id } = await world.stack.api.operate(
    'POST',
    `/branches/${container.activeBranchId}/bookmarks`,
    { name },
  );
  bookmarks.set(id!, await names(container));
  return id!;
}

async function insertRow(): Promise<string> {
  const name = unique('row');
  await sql(container, `INSERT INTO employees (name, salary) VALUES ($1, 1)`, [name]);
  rowsOf.get(active)!.push(name);
  return name;
}

/**
 * One operation under test: `prepare` sets it up without faults, `start` makes the call that
 * meets the armed fault and answers its job id (or null for a call without a job), `settle`
 * checks its effect and updates the model.
 */
interface Operation {
  prepare?(): Promise<void>;
  start(): Promise<string | null>;
  settle(): Promise<void>;
}

async function accepted(method: string, path: string, body?: unknown): Promise<string> {
  const { jobId } = await world.stack.api.expect<{ jobId: string }>(202, method, path, body);
  return jobId;
}

function operation(kind: string): Operation {
  const api = world.stack.api;
  let other = '';
  let made = '';
  let bookmarkId = '';
  switch (kind) {
    case 'activate':
      return {
        start: () => {
          other = active === branchA ? branchB : branchA;
          return accepted('POST', `/branches/${other}/activate`);
        },
        settle: async () => void (active = other),
      };
    case 'bookmark':
      return {
        start: () =>
          accepted('POST', `/branches/${active}/bookmarks`, { name: (made = unique('bm')) }),
        settle: async () => {
          const found = await api.expect<{ id: string; name: string }[]>(
            200,
            'GET',
            `/bookmarks?q=${made}`,
          );
          expect(found.map((b) => b.name)).toEqual([made]);
          bookmarks.set(found[0]!.id, [...rowsOf.get(active)!]);
        },
      };
    case 'restore':
      return {
        prepare: async () => {
          bookmarkId = await bookmark(unique('restore-target'));
          await insertRow();
        },
        start: () => accepted('POST', `/branches/${active}/restore`, { bookmarkId }),
        settle: async () => void rowsOf.set(active, [...bookmarks.get(bookmarkId)!]),
      };
    case 'reset':
      return {
        prepare: async () => {
          bookmarkId = await bookmark(unique('reset-point'));
          await insertRow();
        },
        start: () => accepted('POST', `/branches/${active}/reset`),
        settle: async () => void rowsOf.set(active, [...bookmarks.get(bookmarkId)!]),
      };
    case 'create-branch':
      return {
        prepare: async () => void (bookmarkId = await bookmark(unique('branch-origin'))),
        start: () =>
          accepted('POST', `/containers/${container.id}/branches`, {
            name: (made = unique('branch')),
            fromBookmarkId: bookmarkId,
          }),
        settle: async () => {
          const branches = await api.expect<{ id: string; name: string }[]>(
            200,
            'GET',
            `/containers/${container.id}/branches`,
          );
          const branch = branches.find((b) => b.name === made);
          expect(branch, `branch ${made} is listed`).toBeDefined();
          // It served nothing yet; its data is checked by activating it once.
          await api.operate('POST', `/branches/${branch!.id}/activate`);
          expect(sorted(await names(await getContainer(api, container.id)))).toEqual(
            sorted(bookmarks.get(bookmarkId)!),
          );
          await api.operate('POST', `/branches/${active}/activate`);
          await api.operate('DELETE', `/branches/${branch!.id}`);
        },
      };
    case 'delete-branch':
      return {
        prepare: async () => {
          const origin = await bookmark(unique('doomed-origin'));
          made = (
            await api.operate('POST', `/containers/${container.id}/branches`, {
              name: unique('doomed'),
              fromBookmarkId: origin,
            })
          ).id!;
        },
        start: () => accepted('DELETE', `/branches/${made}`),
        settle: async () => {
          const branches = await api.expect<{ id: string }[]>(
            200,
            'GET',
            `/containers/${container.id}/branches`,
          );
          expect(branches.map((b) => b.id)).not.toContain(made);
        },
      };
    case 'delete-bookmark':
      // Deleting a bookmark is a call, not a job: the agent's death answers 503, a repeat completes it.
      return {
        prepare: async () => void (bookmarkId = await bookmark(unique('doomed-bookmark'))),
        start: async () => {
          const response = await api.request('DELETE', `/bookmarks/${bookmarkId}`);
          expect(response.status, JSON.stringify(response.body)).toBe(503);
          return null;
        },
        settle: async () => {
          await api.expect(204, 'DELETE', `/bookmarks/${bookmarkId}`);
          bookmarks.delete(bookmarkId);
        },
      };
    case 'create-container':
      return {
        start: () =>
          accepted('POST', '/containers', {
            name: (made = unique('made')),
            templateId: world.templateId,
          }),
        settle: async () => {
          const list = await api.expect<{ id: string; name: string; state: string }[]>(
            200,
            'GET',
            '/containers',
          );
          const made2 = list.find((c) => c.name === made);
          expect(made2?.state).toBe('ready');
          expect(sorted(await names(await getContainer(api, made2!.id)))).toEqual(sorted(ORIGINAL));
          await api.operate('DELETE', `/containers/${made2!.id}`);
        },
      };
    case 'delete-container':
      return {
        prepare: async () =>
          void (made = (await createContainer(api, world.templateId, unique('doomed'))).id),
        start: () => accepted('DELETE', `/containers/${made}`),
        settle: async () =>
          void expect((await api.request('GET', `/containers/${made}`)).status).toBe(404),
      };
    case 'refresh':
      return {
        start: () => accepted('POST', `/templates/${world.templateId}/refresh`),
        settle: async () => {
          const template = await api.expect<{ versions: { state: string }[] }>(
            200,
            'GET',
            `/templates/${world.templateId}`,
          );
          expect(template.versions.every((v) => v.state === 'ready')).toBe(true);
        },
      };
    default:
      throw new Error(`no operation "${kind}"`);
  }
}

/** The operation that passes through each agent step, by the step's operation prefix. */
const AGENT_STEP_OPERATION: Record<string, string> = {
  'container.create': 'create-container',
  'container.delete': 'delete-container',
  'branch.create': 'create-branch',
  'branch.delete': 'delete-branch',
  'point.create': 'bookmark',
  activate: 'activate',
  restore: 'restore',
  reset: 'reset',
  hold: 'bookmark',
  release: 'delete-bookmark',
  ingest: 'refresh',
};

/** Steps of moves, which need two hosts: replication.e2e kills the control plane at them. */
const ON_TWO_HOSTS: readonly ControlPlaneFaultStep[] = [
  'move-container:after-copy',
  'move-container:after-switch',
];
type OneHostStep = Exclude<ControlPlaneFaultStep, `move-container:${string}`>;

const CONTROL_PLANE_STEP_OPERATION: Record<OneHostStep, string> = {
  'job:before-handler': 'activate',
  'job:after-handler': 'restore',
  'point:after-snapshot': 'bookmark',
  'restore:after-agent': 'restore',
  'activate:after-agent': 'activate',
  'bookmark:after-hold': 'bookmark',
  'create-container:after-agent': 'create-container',
  'delete-container:after-agent': 'delete-container',
};

/** Steps no control-plane operation passes through (the agent's own e2e covers them). */
const AGENT_STEPS_NOT_THROUGH_THE_API: Partial<Record<AgentFaultStep, string>> = {
  'template.delete:mid-destroy': 'templates are deleted only as orphans, by an admin',
  // The control plane resets by restoring the newest point (restore:* covers it), so that a
  // reset keeps what it discarded as a point and can be undone.
  'reset:after-stop': 'reset is a restore of the newest point',
  'reset:after-rollback': 'reset is a restore of the newest point',
  'reset:after-start': 'reset is a restore of the newest point',
};

function agentOperation(step: AgentFaultStep): string {
  const kind = AGENT_STEP_OPERATION[step.split(':')[0]!];
  if (!kind) throw new Error(`no operation passes through agent step "${step}": add one`);
  return kind;
}

async function untilDown(url: string, get: (url: string) => Promise<unknown>, what: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await get(url);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`${what} never reached the armed step`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const agentGet = (url: string) =>
  world.stack.agentFetch(url, {
    method: 'GET',
    headers: { authorization: `Bearer ${world.stack.agentToken}` },
    body: null,
    signal: AbortSignal.timeout(5_000),
  });

async function armAgent(step: AgentFaultStep): Promise<void> {
  const response = await world.stack.agentFetch(`${world.stack.agentUrl}/v1/test/fault`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${world.stack.agentToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ step }),
    signal: AbortSignal.timeout(5_000),
  });
  expect(response.status, await response.text()).toBe(204);
}

/** After each case: what the API says is what the host serves, and nothing is left to repair. */
async function expectConsistent(): Promise<void> {
  const api = world.stack.api;
  container = await getContainer(api, container.id);
  expect(container.activeBranchId).toBe(active);
  expect(sorted(await names(container))).toEqual(sorted(rowsOf.get(active)!));
  const listed = await api.expect<{ id: string }[]>(200, 'GET', '/bookmarks?scope=all');
  for (const id of bookmarks.keys()) expect(listed.map((b) => b.id)).toContain(id);
  const unfinished = (
    await api.expect<{ id: string; state: string }[]>(
      200,
      'GET',
      `/jobs?containerId=${container.id}&limit=50`,
    )
  ).filter((job) => job.state === 'queued' || job.state === 'running');
  expect(unfinished).toEqual([]);
  // One cycle converges: it may repair what the host proves; then nothing is left to say.
  const first = await reconcile();
  expect(first.divergences.filter((d) => d.action !== 'repaired')).toEqual([]);
  expect(first.orphans).toEqual([]);
  const second = await reconcile();
  expect(second.divergences).toEqual([]);
}

async function reconcile(): Promise<{ divergences: { action: string }[]; orphans: unknown[] }> {
  const reports = await world.stack.api.expect<
    {
      hostId: string;
      error: string | null;
      divergences: { action: string }[];
      orphans: unknown[];
    }[]
  >(200, 'POST', '/reconciliation');
  const report = reports.find((r) => r.hostId === world.stack.hostId)!;
  expect(report.error).toBeNull();
  return report;
}

/**
 * Until the control plane sees the host up: after a crash it refuses operations on the host's
 * containers (503) until a health check finds the agent back.
 */
async function hostUp(): Promise<void> {
  await eventually(async () => {
    const hosts = await world.stack.api.expect<{ id: string; status: string }[]>(
      200,
      'GET',
      '/hosts',
    );
    expect(hosts.find((host) => host.id === world.stack.hostId)?.status).toBe('up');
  }, 60_000);
}

async function runCase(
  kind: string,
  arm: () => Promise<void>,
  crash: () => Promise<void>,
  restart: () => Promise<void>,
): Promise<void> {
  const op = operation(kind);
  await hostUp();
  await op.prepare?.();
  await arm();
  const jobId = await op.start();
  await crash();
  await restart();
  if (jobId) {
    const job = await world.stack.api.waitForJob(jobId, 180_000);
    expect(job.state, `${job.type}: ${job.error ?? ''}\n${job.log.join('\n')}`).toBe('succeeded');
  }
  // Operations on the host's containers answer 503 until a health check sees the agent back.
  await hostUp();
  await op.settle();
  await expectConsistent();
}

describe('the storage agent killed at a step boundary', () => {
  it.each(
    AGENT_FAULT_STEPS.filter((step) => !AGENT_STEPS_NOT_THROUGH_THE_API[step]).map((step) => [
      step,
    ]),
  )(
    '%s: the job ends, the API agrees with the host, nothing is lost',
    async (step) =>
      runCase(
        agentOperation(step),
        () => armAgent(step),
        () => untilDown(`${world.stack.agentUrl}/v1/health`, agentGet, 'the agent'),
        () => world.stack.restartAgent(),
      ),
    300_000,
  );
});

describe('the storage agent away for longer than a job waits', () => {
  it('the job fails, and once the agent is back the API says the branch it serves', async () => {
    const api = world.stack.api;
    const other = active === branchA ? branchB : branchA;
    await armAgent('activate:after-switch');
    const jobId = await accepted('POST', `/branches/${other}/activate`);
    await untilDown(`${world.stack.agentUrl}/v1/health`, agentGet, 'the agent');
    const job = await api.waitForJob(jobId, 180_000);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/unreachable/);
    expect(job.log.some((line) => line.includes('trying again'))).toBe(true);
    // The host switched before it died: it serves `other` when it is back, and the catalog follows.
    await world.stack.restartAgent();
    active = other;
    await eventually(async () => {
      container = await getContainer(api, container.id);
      expect(container.activeBranchId).toBe(other);
    }, 30_000);
    await expectConsistent();
  }, 300_000);
});

describe('the control plane killed at a step boundary', () => {
  it.each(
    CONTROL_PLANE_FAULT_STEPS.filter(
      (step): step is OneHostStep => !ON_TWO_HOSTS.includes(step),
    ).map((step) => [step]),
  )(
    '%s: the job runs again after the restart and ends, the API agrees with the host',
    async (step) =>
      runCase(
        CONTROL_PLANE_STEP_OPERATION[step],
        () => world.stack.api.expect(204, 'PUT', '/test/fault', { step }),
        () =>
          untilDown(
            `${world.stack.apiUrl}/health`,
            async (url) => {
              const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
              if (!response.ok) throw new Error(`health ${response.status}`);
            },
            'the control plane',
          ),
        () => world.stack.restartBackend(),
      ),
    300_000,
  );

  it('refuses an unknown step with a 400 naming the known ones', async () => {
    const response = await world.stack.api.request('PUT', '/test/fault', { step: 'nowhere' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('job:before-handler');
  });
});
