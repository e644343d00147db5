import { appendFile } from 'node:fs/promises';
import type { HookOutput } from '@branchpoint/contracts';
import { AgentFailure } from '../common/agent-failure.js';

const MAX_LINE = 500;

/** One hook log line, at most 500 characters. */
export const clip = (text: string) =>
  text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text;

/** How a failing hook fails the call: an ingest (422) or a server start (500). */
export interface HookFailure {
  status: 422 | 500;
  code: 'ingest-failed' | 'instance-failed';
}

/**
 * A hook failure that carries the log of the hooks the call ran, so the caller can show the
 * output that led to it (the HTTP answer's `hookLog`).
 */
export function failedWithLog(error: unknown, log: string[]): unknown {
  if (error instanceof AgentFailure && log.length > 0) error.hookLog = [...log];
  return error;
}

/** The `hookLog` of an answer: only when hooks said something. */
export const hookOutput = (hookLog: string[]): HookOutput =>
  hookLog.length > 0 ? { hookLog } : {};

/**
 * Runs a started server's afterStart hooks, of any engine: their lines go to `log` and to the
 * server's log file whatever the outcome, and a failure stops the server (it never serves with
 * half its hooks run).
 */
export async function runAfterStartHooks(
  server: { logFile: string; stop: () => Promise<void> },
  log: string[],
  run: (lines: string[]) => Promise<void>,
): Promise<void> {
  const lines: string[] = [];
  try {
    await run(lines);
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    log.push(...lines);
    await appendFile(server.logFile, lines.map((line) => `afterStart ${line}\n`).join(''));
  }
}
