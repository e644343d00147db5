import {
  cloneCa,
  createSourceDatabase,
  type ApiClient,
  type SourceDatabase,
  type Stack,
} from '@branchpoint/testing';
import { checkContainer, servedData, type ContainerView } from './invariants.js';
import { SoakModel, TEMPLATE_ROWS, type ContainerModel } from './model.js';
import { pickOperation, type SoakUser, type StepContext } from './operations.js';
import { Random } from './random.js';
import { Tally, type SoakReport } from './report.js';

/**
 * The soak run (issue #9): four users operate at random, in parallel (one worker each), on ten
 * containers of one template, through the public REST API and SQL only. After every operation
 * the container is compared with the model; at the end reconciliation must find nothing and no
 * job may be left queued or running.
 */

export interface SoakOptions {
  seed: number;
  /** Operations in all (workers together). */
  operations: number;
  /** Time budget from the start of the run, set-up included (waiting for jobs in flight and the final checks come on top). */
  minutes: number;
  /** Relative weight of container refresh (the other weights are in operations.ts). */
  refreshWeight: number;
}

/** The budget from the environment: BP_SOAK_OPERATIONS, BP_SOAK_MINUTES, BP_SOAK_SEED, BP_SOAK_REFRESH_WEIGHT. */
export function soakOptionsFromEnv(defaults: Omit<SoakOptions, 'seed'>): SoakOptions {
  const number = (name: string, fallback: number): number => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`${name} must be a positive number, got "${raw}"`);
    return value;
  };
  return {
    seed: Math.floor(number('BP_SOAK_SEED', Math.floor(Math.random() * 2 ** 31))),
    operations: Math.floor(number('BP_SOAK_OPERATIONS', defaults.operations)),
    minutes: number('BP_SOAK_MINUTES', defaults.minutes),
    refreshWeight: number('BP_SOAK_REFRESH_WEIGHT', defaults.refreshWeight),
  };
}

/** Containers per user: ten in all. */
const CONTAINERS_PER_USER = [3, 3, 2, 2];

const SOURCE_SQL = `
  CREATE TABLE soak_marks (marker text PRIMARY KEY);
  INSERT INTO soak_marks VALUES ${TEMPLATE_ROWS.map((r) => `('${r}')`).join(', ')};
`;

export async function runSoak(stack: Stack, options: SoakOptions): Promise<SoakReport> {
  console.log(
    `soak: seed ${options.seed}, ${options.operations} operations or ${options.minutes} min`,
  );
  const tally = new Tally(options.seed);
  const deadline = Date.now() + options.minutes * 60_000;
  const source = await createSourceDatabase({ prefix: 'soak', setupSql: SOURCE_SQL });
  try {
    const model = new SoakModel();
    const { users, ca } = await setUp(stack, source, model);
    const workers = users.map((user, index) => {
      const ctx: StepContext = {
        model,
        tally,
        random: new Random(options.seed + index),
        users: new Map(users.map((u) => [u.id, u])),
        ca,
        deadline,
        refreshWeight: options.refreshWeight,
      };
      const mine = [...model.containers.values()].filter((c) => c.ownerIds[0] === user.id);
      return work(
        ctx,
        mine,
        () => tally.operationsRun < options.operations && Date.now() < deadline,
      );
    });
    await Promise.all(workers);
    await finalChecks(stack.api, model, users, tally);
    return tally.finish();
  } finally {
    await source.drop().catch(() => undefined);
  }
}

/** Users, a template, ten containers (two with a co-owner), and the model of each. */
async function setUp(
  stack: Stack,
  source: SourceDatabase,
  model: SoakModel,
): Promise<{ users: SoakUser[]; ca: string }> {
  const { id: templateId } = await stack.api.operate('POST', '/templates', {
    name: 'soak',
    hostId: stack.hostId,
    sources: [{ name: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
  });
  const users: SoakUser[] = [];
  for (let i = 0; i < CONTAINERS_PER_USER.length; i++) {
    const user = await stack.createUser(`soak-u${i}`);
    users.push({ id: user.id, name: `soak-u${i}`, api: user.api });
  }
  const created = await Promise.all(
    users.map(async (user, i) => {
      const views: ContainerView[] = [];
      for (let n = 0; n < CONTAINERS_PER_USER[i]!; n++) {
        const { id } = await user.api.operate('POST', '/containers', {
          name: `u${i}c${n}`,
          templateId,
        });
        views.push(await user.api.expect<ContainerView>(200, 'GET', `/containers/${id}`));
      }
      return views;
    }),
  );
  const ca = await cloneCa(users[0]!.api, created[0]![0]!.id);
  const defaultWorkMem = (await servedData(created[0]![0]!.endpoints[0]!.connectionString, ca))
    .workMem!;
  for (const [i, views] of created.entries()) {
    for (const [n, view] of views.entries()) {
      const ownerIds = [users[i]!.id];
      // The first container of the first two users gets the next user as co-owner.
      if (n === 0 && i < 2) {
        const coOwner = users[i + 1]!;
        await users[i]!.api.expect(200, 'POST', `/containers/${view.id}/owners`, {
          userId: coOwner.id,
        });
        ownerIds.push(coOwner.id);
      }
      model.addContainer(
        {
          id: view.id,
          name: `u${i}c${n}`,
          connectionString: view.endpoints[0]!.connectionString,
          ownerIds,
          activeBranchId: view.activeBranchId,
          serving: 'running',
          defaultWorkMem,
        },
        view.branches[0]!,
      );
    }
  }
  return { users, ca };
}

/** One user's worker: operations on its containers until the budget is spent. */
async function work(
  ctx: StepContext,
  containers: ContainerModel[],
  more: () => boolean,
): Promise<void> {
  while (more()) {
    const live = containers.filter((c) => !c.quarantined);
    if (live.length === 0) return;
    const container = ctx.random.pick(live);
    const actor = ctx.users.get(ctx.random.pick(container.ownerIds))!;
    await step(ctx, container, actor);
  }
}

/** One operation, its answer judged against the model, then the container's invariants. */
async function step(ctx: StepContext, container: ContainerModel, actor: SoakUser): Promise<void> {
  const plan = pickOperation(ctx, container, actor);
  const { model, tally } = ctx;
  const label = `${plan.kind} by ${actor.name}`;
  tally.operation(plan.kind);
  const outcome = await plan.send().catch((error: unknown) => ({
    ok: false,
    status: 0,
    message: String(error),
    jobFailed: true,
  }));
  plan.done?.();
  const problems: string[] = [];
  if (outcome.ok && typeof plan.expect === 'string') {
    problems.push(`accepted although it must be refused (${plan.expect})`);
  } else if (outcome.ok) {
    plan.apply(outcome);
    problems.push(...((await plan.verify?.()) ?? []));
  } else {
    const reason =
      typeof plan.expect === 'string' && outcome.status === 409
        ? plan.expect
        : plan.expect === undefined && [404, 409].includes(outcome.status)
          ? 'raced with another user'
          : plan.raced?.(outcome);
    if (reason) tally.refusal(plan.kind, reason);
    else {
      tally.unexpected(plan.kind, `${container.name}, ${label}: ${outcome.message}`);
      if (outcome.jobFailed) quarantine(ctx, container, `${label} failed`);
    }
  }
  try {
    problems.push(
      ...(await checkContainer(
        model,
        container,
        ctx.users.get(container.ownerIds[0]!)!.api,
        ctx.ca,
      )),
    );
  } catch (error) {
    problems.push(`checking failed: ${String(error)}`);
  }
  for (const detail of problems)
    tally.violation({ container: container.name, after: label, detail });
  if (problems.length > 0) quarantine(ctx, container, `violation after ${label}`);
}

/** The model no longer knows what the container holds: leave it alone for the rest of the run. */
function quarantine(ctx: StepContext, container: ContainerModel, why: string): void {
  if (container.quarantined) return;
  container.quarantined = why;
  ctx.tally.quarantine(`${container.name} (${why})`);
}

/** Reconciliation finds nothing to repair or report, and no job is left queued or running. */
async function finalChecks(
  admin: ApiClient,
  model: SoakModel,
  users: SoakUser[],
  tally: Tally,
): Promise<void> {
  const violation = (container: string, detail: string) =>
    tally.violation({ container, after: 'the run', detail });
  // Jobs the soak gave up waiting for (already reported) get one more minute to end.
  const unfinished = async () => {
    const found: { container: string; detail: string }[] = [];
    for (const container of model.containers.values()) {
      const owner = users.find((u) => u.id === container.ownerIds[0])!;
      const jobs = await owner.api.expect<{ id: string; type: string; state: string }[]>(
        200,
        'GET',
        `/jobs?containerId=${container.id}&limit=200`,
      );
      for (const job of jobs.filter((j) => j.state === 'queued' || j.state === 'running'))
        found.push({
          container: container.name,
          detail: `job ${job.id} (${job.type}) is still ${job.state}`,
        });
    }
    return found;
  };
  const patience = Date.now() + 60_000;
  let left = await unfinished();
  while (left.length > 0 && Date.now() < patience) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    left = await unfinished();
  }
  for (const { container, detail } of left) violation(container, detail);
  const reports = await admin.expect<ReconciliationReport[]>(200, 'POST', '/reconciliation');
  for (const report of reports) {
    if (report.error)
      violation('host', `reconciliation could not check ${report.host}: ${report.error}`);
    // The report of issue #9 lists divergences; the older one only missing datasets and orphans.
    const found = report.divergences
      ? report.divergences.map(
          (d) =>
            `${d.kind} ${JSON.stringify(d.subject)}: catalog ${d.catalog}, host ${d.host} (${d.action})`,
        )
      : [
          ...(report.missingOnAgent ?? []).map((m) => `missing on the agent: ${m}`),
          ...(report.orphans ?? []).map((o) => `orphan: ${JSON.stringify(o)}`),
        ];
    for (const detail of found) violation('reconciliation', detail);
    for (const skipped of report.skipped ?? [])
      violation('reconciliation', `skipped ${skipped.kind} ${skipped.name}: ${skipped.reason}`);
  }
}

interface ReconciliationReport {
  host: string;
  error: string | null;
  divergences?: {
    kind: string;
    subject: object;
    catalog: string | null;
    host: string | null;
    action: string;
  }[];
  missingOnAgent?: string[];
  orphans?: unknown[];
  skipped?: { kind: string; name: string; reason: string }[];
}
