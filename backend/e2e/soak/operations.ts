import type { JobView } from '@branchpoint/contracts';
import { withClone, type ApiClient, type ApiResponse } from '@branchpoint/testing';
import {
  data,
  TEMPLATE_ROWS,
  type BookmarkModel,
  type BranchModel,
  type ContainerModel,
  type SoakModel,
} from './model.js';
import type { Random } from './random.js';
import type { Tally } from './report.js';

/**
 * The soak's operations: each planner looks at the model, picks its arguments at random, says
 * what the answer must be, and how the model changes when the product confirms it.
 */

export type OperationKind =
  | 'write'
  | 'bookmark'
  | 'branch'
  | 'activate'
  | 'restore'
  | 'reset'
  | 'undo'
  | 'stop-start'
  | 'settings'
  | 'delete-branch'
  | 'delete-bookmark'
  | 'share'
  | 'unshare'
  | 'refresh';

/** How often each operation is picked (relative); refresh is set per run. */
export const WEIGHTS: Record<Exclude<OperationKind, 'refresh'>, number> = {
  write: 24,
  bookmark: 12,
  branch: 8,
  activate: 8,
  restore: 8,
  reset: 6,
  undo: 6,
  'stop-start': 4,
  settings: 4,
  'delete-branch': 5,
  'delete-bookmark': 4,
  share: 4,
  unshare: 2,
};

/** Caps that keep a long run from piling up branches and bookmarks. */
const MAX_BRANCHES = 5;
const MAX_BOOKMARKS = 6;
/** How long the soak waits for a job: five minutes, and at most two past the run's deadline. */
const JOB_TIMEOUT_MS = 300_000;
const JOB_GRACE_MS = 120_000;
const WORK_MEM_VALUES = ['5MB', '6MB', '7MB', '8MB', null] as const;

export interface SoakUser {
  id: string;
  name: string;
  api: ApiClient;
}

export interface StepContext {
  model: SoakModel;
  tally: Tally;
  random: Random;
  users: Map<string, SoakUser>;
  /** The clone CA (one agent). */
  ca: string;
  /** When the run's budget ends (epoch ms): no operation starts after it. */
  deadline: number;
  refreshWeight: number;
}

/** The answer to an operation: for a job, whether the job succeeded. */
export interface Outcome {
  ok: boolean;
  status: number;
  message: string;
  id?: string;
  jobFailed: boolean;
}

/**
 * What the answer must be: success (null), a refusal with this reason (409), or either
 * (undefined: a request of another worker racing this one decides).
 */
export type Expectation = string | null | undefined;

export interface Plan {
  kind: string;
  expect: Expectation;
  send(): Promise<Outcome>;
  /** Applies the confirmed change to the model. */
  apply(outcome: Outcome): void;
  /** After a refusal the model did not predict: the race that explains it, if any. */
  raced?(outcome: Outcome): string | null;
  /** After success: anything else the product must show now (problems found). */
  verify?(): Promise<string[]>;
  /** Always called after send (success or not). */
  done?(): void;
}

type Planner = (ctx: StepContext, container: ContainerModel, actor: SoakUser) => Plan | null;

/** Sends a request and, when it starts a job, waits for the job (recording its time). */
export async function send(
  ctx: StepContext,
  kind: string,
  api: ApiClient,
  request: Promise<ApiResponse<unknown>>,
): Promise<Outcome> {
  const started = Date.now();
  const response = await request;
  const body = (response.body ?? {}) as { jobId?: string; id?: string; message?: unknown };
  if (response.status === 202 && body.jobId) {
    const limit = Math.min(started + JOB_TIMEOUT_MS, ctx.deadline + JOB_GRACE_MS);
    const job = await waitForJob(api, body.jobId, limit);
    ctx.tally.jobTime(kind, Date.now() - started);
    if (job.state === 'succeeded')
      return { ok: true, status: 202, message: '', jobFailed: false, ...idOf(body) };
    const ended = job.state === 'failed';
    return {
      ok: false,
      status: 202,
      message: ended
        ? `job ${job.id} (${job.type}) failed: ${job.error ?? 'no error given'}`
        : `job ${job.id} (${job.type}) still ${job.state} at ${job.progress}% after ${Math.round((Date.now() - started) / 1000)} s, log: ${JSON.stringify(job.log.slice(-5))}`,
      jobFailed: true,
    };
  }
  if (response.status >= 200 && response.status < 300)
    return { ok: true, status: response.status, message: '', jobFailed: false, ...idOf(body) };
  return {
    ok: false,
    status: response.status,
    message: `${response.status} ${typeof body.message === 'string' ? body.message : JSON.stringify(response.body)}`,
    jobFailed: false,
  };
}

const idOf = (body: { id?: string }) => (body.id ? { id: body.id } : {});

/** The job once it ended, or as it is at `deadline` (so a stuck job names its progress and log). */
async function waitForJob(api: ApiClient, jobId: string, deadline: number): Promise<JobView> {
  for (;;) {
    const job = await api.expect<JobView>(200, 'GET', `/jobs/${jobId}`);
    if (job.state === 'succeeded' || job.state === 'failed' || Date.now() > deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The active branch most of the time, another one now and then. */
function someBranch(ctx: StepContext, container: ContainerModel): BranchModel {
  const active = ctx.model.active(container);
  return ctx.random.chance(0.75) ? active : ctx.random.pick([...container.branches.values()]);
}

const write: Planner = (ctx, container) => {
  if (container.serving !== 'running') return null;
  const rows = Array.from({ length: ctx.random.int(1, 3) }, () => ctx.model.nextMarker(container));
  return {
    kind: 'write',
    expect: null,
    send: async () => {
      await withClone(container.connectionString, ctx.ca, (client) =>
        client.query(
          `INSERT INTO soak_marks (marker) VALUES ${rows.map((_, i) => `($${i + 1})`).join(', ')}`,
          rows,
        ),
      );
      return { ok: true, status: 200, message: '', jobFailed: false };
    },
    apply: () => ctx.model.wrote(container, rows),
  };
};

const bookmark: Planner = (ctx, container, actor) => {
  if (ctx.model.liveBookmarks(container.id).length >= MAX_BOOKMARKS) return null;
  const branch = someBranch(ctx, container);
  const name = `${ctx.model.nextMarker(container)} bookmark`;
  return {
    kind: 'bookmark',
    expect: null,
    send: () =>
      send(
        ctx,
        'bookmark',
        actor.api,
        actor.api.post(`/branches/${branch.id}/bookmarks`, { name }),
      ),
    apply: (outcome) => ctx.model.bookmarked(container, branch, outcome.id!, name),
  };
};

const branch: Planner = (ctx, container, actor) => {
  if (container.branches.size >= MAX_BRANCHES) return null;
  const name = `br-${ctx.model.nextMarker(container)}`;
  const create = (kind: string, body: object) =>
    send(ctx, kind, actor.api, actor.api.post(`/containers/${container.id}/branches`, body));
  const bookmarks = ctx.model.branchableBookmarks(container, actor.id);
  if (bookmarks.length === 0 || ctx.random.chance(0.4))
    return {
      kind: 'branch',
      expect: null,
      send: () => create('branch', { name }),
      apply: (outcome) => ctx.model.branchedFromHead(container, outcome.id!, name),
    };
  const from: BookmarkModel = ctx.random.pick(bookmarks);
  const changesBefore = from.visibilityChanges;
  const release = ctx.model.branchingFrom(from.id);
  const kind = from.containerId === container.id ? 'branch' : 'branch (shared bookmark)';
  return {
    kind,
    expect: null,
    send: () => create(kind, { name, fromBookmarkId: from.id }),
    apply: (outcome) => ctx.model.branchedFromBookmark(container, outcome.id!, name, from),
    raced: (outcome) =>
      outcome.status === 404 && from.visibilityChanges !== changesBefore
        ? 'bookmark withdrawn meanwhile'
        : null,
    done: release,
  };
};

const activate: Planner = (ctx, container, actor) => {
  const others = [...container.branches.values()].filter((b) => b.id !== container.activeBranchId);
  if (others.length === 0) return null;
  const target = ctx.random.pick(others);
  return {
    kind: 'activate',
    expect: null,
    send: () => send(ctx, 'activate', actor.api, actor.api.post(`/branches/${target.id}/activate`)),
    apply: () => ctx.model.activated(container, target.id),
  };
};

const restore: Planner = (ctx, container, actor) => {
  const bookmarks = ctx.model.liveBookmarks(container.id);
  if (bookmarks.length === 0) return null;
  const from = ctx.random.pick(bookmarks);
  const target = someBranch(ctx, container);
  return {
    kind: 'restore',
    expect: null,
    send: () =>
      send(
        ctx,
        'restore',
        actor.api,
        actor.api.post(`/branches/${target.id}/restore`, { bookmarkId: from.id }),
      ),
    apply: () => ctx.model.replaced(target, from.data),
  };
};

const reset: Planner = (ctx, container, actor) => {
  const target = someBranch(ctx, container);
  return {
    kind: 'reset',
    expect: null,
    send: () => send(ctx, 'reset', actor.api, actor.api.post(`/branches/${target.id}/reset`)),
    apply: () => ctx.model.replaced(target, target.lastPoint),
  };
};

const undo: Planner = (ctx, container, actor) => {
  const active = ctx.model.active(container);
  return {
    kind: 'undo',
    expect: active.undo ? null : 'nothing to undo',
    send: () => send(ctx, 'undo', actor.api, actor.api.post(`/containers/${container.id}/undo`)),
    apply: () => ctx.model.replaced(active, active.undo!),
  };
};

const stopStart: Planner = (ctx, container, actor) => {
  const verb = container.serving === 'running' ? 'stop' : 'start';
  return {
    kind: verb,
    expect: null,
    send: () => send(ctx, verb, actor.api, actor.api.post(`/containers/${container.id}/${verb}`)),
    apply: () => {
      container.serving = verb === 'stop' ? 'stopped' : 'running';
    },
  };
};

const settings: Planner = (ctx, container, actor) => {
  const active = ctx.model.active(container);
  const workMem = ctx.random.pick(WORK_MEM_VALUES);
  return {
    kind: 'settings',
    expect: container.serving === 'running' ? null : 'container stopped',
    send: () =>
      send(
        ctx,
        'settings',
        actor.api,
        actor.api.patch(`/containers/${container.id}/settings`, {
          settings: { work_mem: workMem },
        }),
      ),
    apply: () => ctx.model.replaced(active, data(active.data.rows, workMem)),
  };
};

const deleteBranch: Planner = (ctx, container, actor) => {
  const others = [...container.branches.values()].filter((b) => b.id !== container.activeBranchId);
  // Now and then the active one, which must be refused.
  const target =
    others.length === 0 || ctx.random.chance(0.15)
      ? ctx.model.active(container)
      : ctx.random.pick(others);
  return {
    kind: 'delete-branch',
    expect: ctx.model.branchDeleteRefusal(container, target),
    send: () => send(ctx, 'delete-branch', actor.api, actor.api.delete(`/branches/${target.id}`)),
    apply: () => ctx.model.branchDeleted(container, target.id),
  };
};

const deleteBookmark: Planner = (ctx, container, actor) => {
  const bookmarks = ctx.model.liveBookmarks(container.id);
  if (bookmarks.length === 0) return null;
  const target = ctx.random.pick(bookmarks);
  return {
    kind: 'delete-bookmark',
    expect: ctx.model.bookmarkDeleteRefusal(target),
    send: () => {
      ctx.model.withdrawing(target);
      return send(ctx, 'delete-bookmark', actor.api, actor.api.delete(`/bookmarks/${target.id}`));
    },
    apply: () => ctx.model.bookmarkDeleted(target),
  };
};

const share: Planner = (ctx, container, actor) => {
  const bookmarks = ctx.model.liveBookmarks(container.id);
  const others = [...ctx.users.values()].filter((u) => !container.ownerIds.includes(u.id));
  if (bookmarks.length === 0 || others.length === 0) return null;
  const target = ctx.random.pick(bookmarks);
  const recipient = ctx.random.pick(others);
  const body = ctx.random.chance(0.2) ? { everyone: true } : { userIds: [recipient.id] };
  return {
    kind: 'share',
    expect: null,
    send: () =>
      send(ctx, 'share', actor.api, actor.api.post(`/bookmarks/${target.id}/share`, body)),
    apply: () => ctx.model.shared(target, body),
    verify: async () => {
      const seen = await recipient.api.get(`/bookmarks/${target.id}`);
      return seen.status === 200
        ? []
        : [`bookmark ${target.name} shared with ${recipient.name}, who gets ${seen.status}`];
    },
  };
};

const unshare: Planner = (ctx, container, actor) => {
  const shared = ctx.model
    .liveBookmarks(container.id)
    .filter((b) => b.everyone || b.sharedWith.size > 0);
  const others = [...ctx.users.values()].filter((u) => !container.ownerIds.includes(u.id));
  if (shared.length === 0 || others.length === 0) return null;
  const target = ctx.random.pick(shared);
  const outsider = ctx.random.pick(others);
  return {
    kind: 'unshare',
    expect: null,
    send: () => {
      ctx.model.withdrawing(target);
      return send(ctx, 'unshare', actor.api, actor.api.delete(`/bookmarks/${target.id}/share`));
    },
    apply: () => ctx.model.unshared(target),
    verify: async () => {
      const seen = await outsider.api.get(`/bookmarks/${target.id}`);
      return seen.status === 404
        ? []
        : [`bookmark ${target.name} unshared, yet ${outsider.name} gets ${seen.status}`];
    },
  };
};

const refresh: Planner = (ctx, container, actor) => {
  const active = ctx.model.active(container);
  return {
    kind: 'refresh',
    expect: null,
    send: () =>
      send(ctx, 'refresh', actor.api, actor.api.post(`/containers/${container.id}/refresh`)),
    apply: () => ctx.model.replaced(active, data(TEMPLATE_ROWS)),
  };
};

const PLANNERS: Record<OperationKind, Planner> = {
  write,
  bookmark,
  branch,
  activate,
  restore,
  reset,
  undo,
  'stop-start': stopStart,
  settings,
  'delete-branch': deleteBranch,
  'delete-bookmark': deleteBookmark,
  share,
  unshare,
  refresh,
};

/** Picks an operation that applies to the container now (a write or a bookmark always does). */
export function pickOperation(ctx: StepContext, container: ContainerModel, actor: SoakUser): Plan {
  const weights: Partial<Record<OperationKind, number>> = {
    ...WEIGHTS,
    refresh: ctx.refreshWeight,
  };
  for (let attempt = 0; attempt < 10; attempt++) {
    const plan = PLANNERS[ctx.random.weighted(weights)](ctx, container, actor);
    if (plan) return plan;
  }
  return (
    write(ctx, container, actor) ??
    bookmark(ctx, container, actor) ??
    stopStart(ctx, container, actor)!
  );
}
