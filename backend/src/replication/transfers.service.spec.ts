import type { TransferStatus } from '@branchpoint/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentClient } from '../agents/agent.client.js';
import type { AgentsService } from '../agents/agents.service.js';
import type { Host } from '../database/entities/host.entity.js';
import { TransfersService } from './transfers.service.js';

const source = { name: 'one', url: 'https://one:7070', certificateFingerprint: 'AA' } as Host;
const target = { name: 'two', url: 'https://two:7070', certificateFingerprint: 'BB' } as Host;
const subject = { kind: 'template', templateId: 't1', from: null, to: 'v1' } as const;
const step = { progress: async () => undefined, log: async () => undefined };

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status });
const sending = (bytes: number): TransferStatus => ({ transferId: 'x', state: 'sending', bytes });
const done = (bytes: number): TransferStatus => ({ transferId: 'x', state: 'done', bytes });

/**
 * Agents behind a fetch: the receiver takes the grant, the sender starts, and `status(url)`
 * answers each GET of the transfer's status.
 */
function service(status: (url: URL) => Response) {
  const gets: URL[] = [];
  const fetchFn = vi.fn(async (url: string, init?: RequestInit) => {
    const parsed = new URL(url);
    if (init?.method === 'PUT') return json(204);
    if (init?.method === 'POST') return json(200, sending(0));
    gets.push(parsed);
    return status(parsed);
  });
  const agents = {
    client: (host: Host) => new AgentClient({ url: host.url, token: 't' }, 1000, fetchFn),
  } as unknown as AgentsService;
  return { transfers: new TransfersService(agents), gets };
}

describe('TransfersService', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("learns a transfer's end from the sending agent's long poll, with no wait of its own", async () => {
    let polls = 0;
    const { transfers, gets } = service(() => {
      polls += 1;
      if (polls === 1) {
        // The agent held the call for its whole wait: the transfer still sends.
        vi.setSystemTime(Date.now() + 1_000);
        return json(200, sending(10));
      }
      return json(200, done(20));
    });
    // No timer is advanced: a sleep between the two polls would never end.
    await expect(transfers.transfer(source, target, subject, step)).resolves.toMatchObject({
      state: 'done',
      bytes: 20,
    });
    expect(gets.map((url) => url.searchParams.get('waitMs'))).toEqual(['1000', '1000']);
    expect(gets.every((url) => url.origin === 'https://one:7070')).toBe(true);
  });

  it('keeps working with an agent from before long polls: asks plainly and waits between polls', async () => {
    let plain = 0;
    const { transfers, gets } = service((url) => {
      if (url.searchParams.has('waitMs'))
        return json(400, { code: 'bad-request', message: 'query: Unrecognized key: "waitMs"' });
      plain += 1;
      return json(200, plain === 1 ? sending(10) : done(20));
    });
    const result = transfers.transfer(source, target, subject, step);
    await vi.advanceTimersByTimeAsync(999);
    expect(plain).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toMatchObject({ state: 'done', bytes: 20 });
    expect(plain).toBe(2);
    expect(gets.map((url) => url.search)).toEqual(['?waitMs=1000', '', '?waitMs=1000', '']);
  });

  it('fails naming the receiving host when the send failed', async () => {
    const { transfers } = service(() =>
      json(200, { transferId: 'x', state: 'failed', bytes: 5, error: 'receiver refused' }),
    );
    await expect(transfers.transfer(source, target, subject, step)).rejects.toThrow(
      'sending to host two failed after 5 bytes: receiver refused',
    );
  });
});
