import { AsyncLocalStorage } from 'node:async_hooks';
import { JOB_LOG_MAX_BYTES, JOB_LOG_MAX_LINES, JOB_LOG_TRUNCATED } from '@branchpoint/contracts';

const MAX_LINE = 2000;
const lineBytes = (line: string) => Buffer.byteLength(line, 'utf8') + 1;

/**
 * The log with `lines` appended, within JOB_LOG_MAX_LINES and JOB_LOG_MAX_BYTES (the marker
 * included): the first line that does not fit becomes JOB_LOG_TRUNCATED and ends the log.
 */
export function appendToLog(log: readonly string[], lines: readonly string[]): string[] {
  const result = [...log];
  if (result.at(-1) === JOB_LOG_TRUNCATED) return result;
  const marker = lineBytes(JOB_LOG_TRUNCATED);
  let bytes = result.reduce((sum, line) => sum + lineBytes(line), 0);
  for (const raw of lines) {
    const line = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE)}…` : raw;
    if (
      result.length + 2 > JOB_LOG_MAX_LINES ||
      bytes + lineBytes(line) + marker > JOB_LOG_MAX_BYTES
    ) {
      result.push(JOB_LOG_TRUNCATED);
      break;
    }
    result.push(line);
    bytes += lineBytes(line);
  }
  return result;
}

export type LogSink = (lines: string[]) => Promise<void>;

/**
 * Lines of a job's log that say where its time went (one per agent call, and a summary at the
 * end), e.g. `timing: agent PUT /v1/containers/…: 412 ms`. Clients may hide them.
 */
export const TIMING_PREFIX = 'timing: ';

/** What code running inside a job's handler may ask about the job, however deep the call. */
export interface JobScope {
  log: LogSink;
  /** Notes a timing line without waiting for it to be written: timing must not slow the job. */
  note?: (line: string) => void;
  /** `<jobId>:<attempt>`: sent with every agent call the attempt makes (see AgentClient). */
  operationId: string;
}

const running = new AsyncLocalStorage<JobScope>();

/** Runs one attempt of a job's handler with its scope as the current one. */
export function withJobScope<T>(scope: JobScope, work: () => Promise<T>): Promise<T> {
  return running.run(scope, work);
}

/**
 * Appends to the log of the job whose handler this code runs in; outside jobs it does nothing.
 * The agent client uses it so that hook output of every agent call reaches the job that made it.
 */
export async function logToCurrentJob(lines: string[]): Promise<void> {
  if (lines.length > 0) await running.getStore()?.log(lines);
}

/**
 * Runs `work`; inside a job, notes in its log how long it took (`timing: <label>: <ms> ms`),
 * so that `GET /jobs/:id` shows where the job's time went.
 */
export async function timedStep<T>(label: string, work: () => Promise<T>): Promise<T> {
  const note = running.getStore()?.note;
  if (!note) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    note(`${TIMING_PREFIX}${label}: ${Math.round(performance.now() - started)} ms`);
  }
}

/** The operation id of the running job attempt, if this code runs inside one. */
export function currentOperationId(): string | undefined {
  return running.getStore()?.operationId;
}
