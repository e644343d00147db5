import { AgentCertificateChangedException } from '../agents/agent.exception.js';
import { AgentUnavailableException } from '../common/app.exception.js';
import { isConnectionLost } from '../common/connection-lost.js';

/**
 * Pauses before each further attempt of a job whose handler failed on a dependency that was
 * briefly away (about 40 s in all: an agent or database restart fits in it). Every handler is
 * idempotent, so an attempt simply runs the handler again from its start.
 */
export const RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000];

/** A job is given up after this many handler starts in all, crashes of its control plane included. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/**
 * Whether an error says a dependency was away rather than that the operation is wrong: the
 * storage agent unreachable (not a changed certificate: that needs an admin), or the
 * metadata database connection lost.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof AgentCertificateChangedException) return false;
  if (error instanceof AgentUnavailableException) return true;
  return isConnectionLost(error);
}

export interface AttemptHooks {
  /** Called before each attempt, with its number (1, 2, …) counted over the job's whole life. */
  starting(attempt: number): Promise<void>;
  /** Called when an attempt failed on a transient error and another follows after `delayMs`. */
  retrying(error: Error, attempt: number, delayMs: number): Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, fails for a reason that is not transient, or the job has
 * used MAX_ATTEMPTS (`done` attempts were used before, e.g. by a control plane that crashed).
 */
export async function runAttempts<T>(
  done: number,
  attempt: (number: number) => Promise<T>,
  hooks: AttemptHooks,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let number = done + 1; ; number++) {
    if (number > MAX_ATTEMPTS)
      throw new Error(`gave up after ${MAX_ATTEMPTS} attempts (the last one was interrupted)`);
    try {
      // Inside the try: recording the attempt may itself meet the database away.
      await hooks.starting(number);
      return await attempt(number);
    } catch (error) {
      const delayMs = RETRY_DELAYS_MS[number - 1];
      if (!isTransient(error) || delayMs === undefined) throw error;
      await hooks.retrying(error as Error, number, delayMs);
      await sleep(delayMs);
    }
  }
}
