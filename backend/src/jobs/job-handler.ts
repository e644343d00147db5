import { DiscoveryService } from '@nestjs/core';
import { ALL_JOB_NAMES, type JobName, type JobPayloads } from '@branchpoint/contracts';

export interface JobContext<N extends JobName> {
  jobId: string;
  userId: string;
  payload: JobPayloads[N];
  /** Records progress 0..100 and pushes it to the container's audience. */
  progress(percent: number): Promise<void>;
  /**
   * Appends lines to the job's log (a few step lines, not noise) and pushes them likewise.
   * The output of hooks that agent calls ran is appended by the agent client itself.
   */
  log(...lines: string[]): Promise<void>;
}

/** One class per operation; its `run` must be safe to repeat after a crash. */
export interface JobHandler<N extends JobName> {
  run(context: JobContext<N>): Promise<Record<string, unknown> | void>;
}

/** Marks a provider as the handler of one job name; the runner checks each name has exactly one. */
export const JobHandlerFor = DiscoveryService.createDecorator<JobName>();

/** Handlers by job name; throws naming every job without exactly one handler, and handlers of unknown jobs. */
export function indexHandlers(
  found: { name: JobName | undefined; provider: string; instance: JobHandler<JobName> }[],
): Map<JobName, JobHandler<JobName>> {
  const handlers = new Map<JobName, JobHandler<JobName>>();
  const problems: string[] = [];
  for (const { name, provider, instance } of found) {
    if (!name || !ALL_JOB_NAMES.includes(name))
      problems.push(`${provider} handles unknown job "${String(name)}"`);
    else if (handlers.has(name)) problems.push(`job "${name}" has more than one handler`);
    else handlers.set(name, instance);
  }
  for (const name of ALL_JOB_NAMES)
    if (!handlers.has(name)) problems.push(`job "${name}" has no handler`);
  if (problems.length > 0)
    throw new Error(`Job handlers are not consistent:\n  - ${problems.join('\n  - ')}`);
  return handlers;
}
