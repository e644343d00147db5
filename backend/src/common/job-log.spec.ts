import { JOB_LOG_MAX_BYTES, JOB_LOG_MAX_LINES, JOB_LOG_TRUNCATED } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import {
  appendToLog,
  currentOperationId,
  logToCurrentJob,
  timedStep,
  withJobScope,
} from './job-log.js';

const bytes = (log: string[]) => log.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);

describe('appendToLog', () => {
  it('appends lines in order', () => {
    expect(appendToLog(['a'], ['b', 'c'])).toEqual(['a', 'b', 'c']);
  });

  it('ends with the marker at the line limit and ignores what comes after', () => {
    const many = Array.from({ length: JOB_LOG_MAX_LINES + 5 }, (_, i) => `line ${i}`);
    const log = appendToLog([], many);
    expect(log).toHaveLength(JOB_LOG_MAX_LINES);
    expect(log.at(-1)).toBe(JOB_LOG_TRUNCATED);
    expect(log.at(-2)).toBe(`line ${JOB_LOG_MAX_LINES - 2}`);
    expect(appendToLog(log, ['later'])).toEqual(log);
  });

  it('stays within the byte limit, marker included', () => {
    const long = 'x'.repeat(1500);
    const log = appendToLog(
      [],
      Array.from({ length: 100 }, () => long),
    );
    expect(log.at(-1)).toBe(JOB_LOG_TRUNCATED);
    expect(bytes(log)).toBeLessThanOrEqual(JOB_LOG_MAX_BYTES);
    expect(bytes(log)).toBeGreaterThan(JOB_LOG_MAX_BYTES - 1600);
  });

  it('clips a very long line', () => {
    const [line] = appendToLog([], ['y'.repeat(10_000)]);
    expect(line).toHaveLength(2001);
  });
});

describe('the job scope', () => {
  it("reaches the running job's log and operation id through nested calls, nothing outside a job", async () => {
    const seen: string[] = [];
    await logToCurrentJob(['outside']);
    expect(currentOperationId()).toBeUndefined();
    const nested = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await logToCurrentJob(['hook output']);
      return currentOperationId();
    };
    const operationId = await withJobScope(
      { log: async (lines) => void seen.push(...lines), operationId: 'job-1:2' },
      nested,
    );
    expect(seen).toEqual(['hook output']);
    expect(operationId).toBe('job-1:2');
  });

  it('notes how long a step took inside a job, also when it failed, and only runs it outside', async () => {
    const notes: string[] = [];
    const scope = {
      log: async () => undefined,
      note: (line: string) => void notes.push(line),
      operationId: 'j:1',
    };
    expect(await timedStep('outside', async () => 7)).toBe(7);
    await withJobScope(scope, async () => {
      expect(await timedStep('agent PUT /v1/x', async () => 'done')).toBe('done');
      await expect(
        timedStep('agent GET /v1/y', async () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
    });
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^timing: agent PUT \/v1\/x: \d+ ms$/);
    expect(notes[1]).toMatch(/^timing: agent GET \/v1\/y: \d+ ms$/);
  });
});
