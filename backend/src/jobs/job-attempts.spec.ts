import { describe, expect, it } from 'vitest';
import { AgentCertificateChangedException } from '../agents/agent.exception.js';
import { AgentUnavailableException, ConflictException } from '../common/app.exception.js';
import { isTransient, MAX_ATTEMPTS, RETRY_DELAYS_MS, runAttempts } from './job-attempts.js';

const noSleep = async () => undefined;

function recorder() {
  const events: string[] = [];
  return {
    events,
    hooks: {
      starting: async (attempt: number) => void events.push(`start ${attempt}`),
      retrying: async (_error: Error, attempt: number, delayMs: number) =>
        void events.push(`retry ${attempt} after ${delayMs}`),
    },
  };
}

describe('isTransient', () => {
  it('takes an unreachable agent and a lost database connection as transient', () => {
    expect(isTransient(new AgentUnavailableException('agent unreachable'))).toBe(true);
    expect(isTransient(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(
      true,
    );
    expect(
      isTransient(
        Object.assign(new Error('query failed'), {
          driverError: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
      ),
    ).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('does not retry what would fail again: refusals, bad input, a changed agent certificate', () => {
    expect(isTransient(new ConflictException('branch.active', 'the branch is active'))).toBe(false);
    expect(isTransient(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isTransient(new AgentCertificateChangedException('AA', 'BB'))).toBe(false);
    expect(isTransient('a string')).toBe(false);
  });
});

describe('runAttempts', () => {
  it('runs once when the first attempt succeeds', async () => {
    const { events, hooks } = recorder();
    expect(await runAttempts(0, async (n) => `done ${n}`, hooks, noSleep)).toBe('done 1');
    expect(events).toEqual(['start 1']);
  });

  it('tries again after transient failures, with growing pauses', async () => {
    const { events, hooks } = recorder();
    let calls = 0;
    const result = await runAttempts(
      0,
      async (n) => {
        if (++calls < 3) throw new AgentUnavailableException('agent unreachable');
        return n;
      },
      hooks,
      noSleep,
    );
    expect(result).toBe(3);
    expect(events).toEqual([
      'start 1',
      `retry 1 after ${RETRY_DELAYS_MS[0]}`,
      'start 2',
      `retry 2 after ${RETRY_DELAYS_MS[1]}`,
      'start 3',
    ]);
  });

  it('fails at once on an error that is not transient', async () => {
    const { events, hooks } = recorder();
    await expect(
      runAttempts(
        0,
        async () => Promise.reject(new ConflictException('agent.refused', 'refused')),
        hooks,
        noSleep,
      ),
    ).rejects.toThrow('refused');
    expect(events).toEqual(['start 1']);
  });

  it('is bounded, counting the attempts a crashed control plane used', async () => {
    const { events, hooks } = recorder();
    const unreachable = async () => Promise.reject(new AgentUnavailableException('unreachable'));
    await expect(runAttempts(MAX_ATTEMPTS - 2, unreachable, hooks, noSleep)).rejects.toThrow(
      'unreachable',
    );
    expect(events.filter((e) => e.startsWith('start'))).toEqual([
      `start ${MAX_ATTEMPTS - 1}`,
      `start ${MAX_ATTEMPTS}`,
    ]);
    await expect(runAttempts(MAX_ATTEMPTS, unreachable, hooks, noSleep)).rejects.toThrow(
      /gave up after/,
    );
  });
});
