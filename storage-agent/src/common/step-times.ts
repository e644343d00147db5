import { AsyncLocalStorage } from 'node:async_hooks';

/** One timed step of a call: a zfs command, a server start, a CHECKPOINT. */
export interface StepTime {
  name: string;
  ms: number;
}

/** The steps of the call being served (each API call has its own list). */
const stepsOfCall = new AsyncLocalStorage<StepTime[]>();

/** Where call summaries go (BP_AGENT_STEP_LOG=1: stderr); null: nowhere. */
let sink: ((line: string) => void) | null = null;

export function logStepTimes(to: ((line: string) => void) | null): void {
  sink = to;
}

/** Runs `work` as one call whose steps are recorded; answers its result and their summary. */
export async function withStepTimes<T>(
  label: string,
  work: () => Promise<T>,
): Promise<{ result: T; summary: string }> {
  const steps: StepTime[] = [];
  const started = performance.now();
  const report = () => {
    const summary = summarizeSteps(performance.now() - started, steps);
    sink?.(`storage-agent: ${label} ${summary}`);
    return summary;
  };
  try {
    const result = await stepsOfCall.run(steps, work);
    return { result, summary: report() };
  } catch (error) {
    report();
    throw error;
  }
}

/** Times `work` as a step of the current call (outside a call it only runs it). */
export async function timedStep<T>(name: string, work: () => Promise<T>): Promise<T> {
  const steps = stepsOfCall.getStore();
  if (!steps) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    steps.push({ name, ms: performance.now() - started });
  }
}

/**
 * `612ms: postgres stop 1x 301ms, zfs get 7x 160ms, …`: the total, then the steps by name,
 * longest first (steps that ran side by side may add up to more than the total).
 */
export function summarizeSteps(totalMs: number, steps: StepTime[]): string {
  const byName = new Map<string, { count: number; ms: number }>();
  for (const { name, ms } of steps) {
    const entry = byName.get(name) ?? { count: 0, ms: 0 };
    byName.set(name, { count: entry.count + 1, ms: entry.ms + ms });
  }
  const parts = [...byName.entries()]
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([name, { count, ms }]) => `${name} ${count}x ${Math.round(ms)}ms`);
  return `${Math.round(totalMs)}ms${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}
