import { api as rest, type ApiCall } from '@branchpoint/api-client';
import { setTimeout } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import type { ApiClient } from './api/client.js';
import type { JobUpdates } from './api/job-updates.js';
import type { Accepted, Job } from './api/types.js';
import { contextOf, type Io } from './context.js';
import { parseDuration } from './duration.js';
import { CliError, ExitCode } from './errors.js';
import type { Output } from './output.js';

export interface WaitOptions {
  wait?: boolean;
  /** Milliseconds. */
  waitTimeout: number;
}

/** The default of `--wait-timeout`: long enough for a large clone or refresh. */
export const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;

/** How often `--wait` reads the job when the socket cannot tell it. */
export const POLL_INTERVAL_MS = 500;

/** With the socket up, the job is still read this often: a safety net for a lost event. */
export const SAFETY_READ_MS = 30_000;

/** How long `--wait` keeps polling a server that cannot be reached before giving up (exit code 6). */
export const UNREACHABLE_GRACE_MS = 60_000;

/** `--wait` (the default), `--no-wait` and `--wait-timeout` for a command that starts a job. */
export function withWaitOptions(command: Command): Command {
  return command
    .option('--wait', 'wait until the job has finished, with progress on stderr (default)')
    .option('--no-wait', 'return as soon as the job is queued (prints the new id, or the job id)')
    .addOption(waitTimeoutOption('give up waiting after this long (the job keeps running)'));
}

/** `--wait-timeout <duration>`, parsed up front so a bad value is refused before anything starts. */
export function waitTimeoutOption(description: string): Option {
  return new Option('--wait-timeout <duration>', description)
    .argParser(parseDuration)
    .default(DEFAULT_WAIT_TIMEOUT_MS, '30m');
}

/**
 * Reports an accepted operation (`202 {jobId[, id]}`): waits for its job unless `--no-wait`.
 * On stdout: the new resource's id, or with `--no-wait` the id or the job id; with `--json`,
 * the accepted answer and the finished job. A failed job is exit code 1 with its error.
 * Answers the finished job (for its result), none with `--no-wait`.
 */
export async function completeOperation(
  api: ApiClient,
  output: Output,
  accepted: Accepted,
  what: string,
  options: WaitOptions,
): Promise<Job | undefined> {
  if (options.wait === false) {
    output.message(`${what}: queued as job ${accepted.jobId}`);
    output.result(accepted, () => accepted.id ?? accepted.jobId);
    return undefined;
  }
  const job = await waitForJob(api, output, accepted.jobId, options.waitTimeout, what);
  output.message(`${what}: done${accepted.id ? ` (${accepted.id})` : ''}`);
  output.result({ ...accepted, job }, () => accepted.id ?? '');
  return job;
}

/**
 * Follows the job until it has finished; throws (exit 1) when it failed or took longer than
 * `timeoutMs`. Learns of each change from the socket (the moment it happens), and polls
 * `GET /jobs/:id` only when the socket cannot connect or is lost.
 */
export async function waitForJob(
  api: ApiClient,
  output: Output,
  jobId: string,
  timeoutMs: number,
  what = 'job',
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  // Listening before the first read: a change between the two is pushed, not missed.
  const updates = await api.jobUpdates();
  let shown = '';
  try {
    let job = await fetchJob(api, output, jobId, what, deadline);
    for (;;) {
      const line = `${what}: ${job.state} ${job.progress}%`;
      if (line !== shown) output.progress(line);
      shown = line;
      if (job.state === 'succeeded') return job;
      if (job.state === 'failed') {
        output.endProgress();
        throw new CliError(
          `${what} failed (job ${job.id}, ${job.type}): ${job.error ?? 'no reason given'}`,
          ExitCode.failed,
        );
      }
      if (Date.now() >= deadline) {
        output.endProgress();
        throw new CliError(
          `${what}: job ${job.id} is still ${job.state} after the wait timeout; follow it with: branchpoint jobs wait ${job.id}`,
          ExitCode.failed,
        );
      }
      job = await nextState(api, output, updates, job, what, deadline);
    }
  } finally {
    updates?.close();
  }
}

/**
 * The job's next state: pushed while the socket is up (read afresh every SAFETY_READ_MS in case
 * an event was lost), polled every POLL_INTERVAL_MS otherwise.
 */
async function nextState(
  api: ApiClient,
  output: Output,
  updates: JobUpdates | undefined,
  job: Job,
  what: string,
  deadline: number,
): Promise<Job> {
  const wait = Math.max(0, deadline - Date.now());
  if (updates && !updates.lost) {
    const pushed = await updates.next(job.id, Math.min(wait, SAFETY_READ_MS));
    if (pushed) return pushed;
  } else await setTimeout(Math.min(wait, POLL_INTERVAL_MS));
  return fetchJob(api, output, job.id, what, deadline);
}

/** What `simpleOperation` sends: `call(id)`, without a body; `what(id)` names it in messages. */
export interface SimpleOperation {
  call: (id: string) => ApiCall<Accepted | void>;
  what: (id: string) => string;
}

/** Gives `command` (`<verb> <id>`) the wait options and an action that starts the operation and completes its job. */
export function simpleOperation(command: Command, io: Io, operation: SimpleOperation): void {
  withWaitOptions(command).action(async (id: string, options: WaitOptions, cmd: Command) => {
    const ctx = contextOf(io, cmd);
    const api = await ctx.api();
    const accepted = (await api.send(operation.call(id))) as Accepted;
    await completeOperation(api, ctx.output, accepted, operation.what(id), options);
  });
}

/**
 * The job; while the server cannot be reached, retried for up to UNREACHABLE_GRACE_MS: the job
 * runs on without us, so a control plane restart need not fail the pipeline.
 */
async function fetchJob(
  api: ApiClient,
  output: Output,
  jobId: string,
  what: string,
  deadline: number,
): Promise<Job> {
  const since = Date.now();
  for (;;) {
    try {
      return await api.send(rest.jobs.get(jobId));
    } catch (error) {
      if (!(error instanceof CliError && error.exitCode === ExitCode.unreachable)) throw error;
      if (Date.now() - since >= UNREACHABLE_GRACE_MS || Date.now() >= deadline) throw error;
      output.progress(`${what}: server unreachable, retrying`);
      await setTimeout(POLL_INTERVAL_MS);
    }
  }
}
