import { describe, expect, it, vi } from 'vitest';
import {
  AgentUnavailableException,
  BadInputException,
  ConflictException,
} from '../common/app.exception.js';
import { withJobScope } from '../common/job-log.js';
import { AgentClient } from './agent.client.js';
import { AgentFailedException, AgentUnreachableException } from './agent.exception.js';

function respond(status: number, body?: unknown) {
  return vi.fn(
    async () => new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );
}

const target = { url: 'https://agent:7070/', token: 'agent-token' };
const container = { containerId: 'c1', activeBranchId: 'b1', running: true, endpoints: [] };

describe('AgentClient', () => {
  it('sends the bearer token and JSON body to the contract path', async () => {
    const fetchFn = respond(200, {
      pointId: 'p1',
      createdAt: '2026-01-01T00:00:00Z',
      held: false,
      dependentClones: [],
    });
    const client = new AgentClient(target, 1000, fetchFn);
    const status = await client.createPoint('c1', 'b1', 'p1');
    expect(status.pointId).toBe('p1');
    const [url, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://agent:7070/v1/containers/c1/branches/b1/points/p1');
    expect(init.method).toBe('PUT');
    expect((init.headers as Record<string, string>)['authorization']).toBe('Bearer agent-token');
  });

  it('sends a call once more when the agent closed a reused connection before answering', async () => {
    const closed = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    const answer = respond(200, container);
    const fetchFn = vi.fn().mockRejectedValueOnce(closed).mockImplementation(answer);
    const client = new AgentClient(target, 1000, fetchFn);
    await client.startContainer('c1');
    expect(fetchFn).toHaveBeenCalledTimes(2);
    const twice = vi.fn().mockRejectedValue(closed);
    await expect(new AgentClient(target, 1000, twice).startContainer('c1')).rejects.toThrow(
      /unreachable/,
    );
    expect(twice).toHaveBeenCalledTimes(2);
  });

  it("sends the job attempt's operation id, the same one again when it resends", async () => {
    const closed = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    const fetchFn = vi
      .fn()
      .mockRejectedValueOnce(closed)
      .mockImplementation(respond(200, container));
    const client = new AgentClient(target, 1000, fetchFn);
    const scope = { log: async () => undefined, operationId: 'job-7:3' };
    await withJobScope(scope, () => client.startContainer('c1'));
    await client.startContainer('c1');
    const ids = fetchFn.mock.calls.map(
      ([, init]) => (init as { headers: Record<string, string> }).headers['x-operation-id'],
    );
    expect(ids.slice(0, 2)).toEqual(['job-7:3', 'job-7:3']);
    expect(ids[2]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("puts the hooks' output of answers and failures into the calling job's log", async () => {
    const log: string[] = [];
    const scope = { log: async (lines: string[]) => void log.push(...lines), operationId: 'j:1' };
    const ok = new AgentClient(
      target,
      1000,
      respond(200, { ...container, hookLog: ['db: afterStartShell: done'] }),
    );
    await withJobScope(scope, () => ok.activate('c1', { branchId: 'b1' }));
    const failing = new AgentClient(
      target,
      1000,
      respond(500, {
        statusCode: 500,
        code: 'instance-failed',
        message: 'afterStartShell hook on source db exited with code 1',
        hookLog: ['db: afterStartShell: oops'],
      }),
    );
    const error = await withJobScope(scope, () => failing.startContainer('c1')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AgentFailedException);
    expect((error as Error).message).toContain('exited with code 1');
    expect(log).toEqual(['db: afterStartShell: done', 'db: afterStartShell: oops']);
  });

  it('maps has-dependents to a 409 that keeps the agent message', async () => {
    const client = new AgentClient(
      target,
      1000,
      respond(409, {
        statusCode: 409,
        code: 'has-dependents',
        message: 'point p1 has clones: c2/b2',
      }),
    );
    const error = await client.deleteBranch('c1', 'b1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as Error).message).toContain('c2/b2');
  });

  it('maps bad-request to 400 and internal errors to 502', async () => {
    await expect(
      new AgentClient(
        target,
        1000,
        respond(400, { statusCode: 400, code: 'bad-request', message: 'bad id' }),
      ).capacity(),
    ).rejects.toBeInstanceOf(BadInputException);
    await expect(
      new AgentClient(
        target,
        1000,
        respond(500, { statusCode: 500, code: 'internal', message: 'boom' }),
      ).capacity(),
    ).rejects.toBeInstanceOf(AgentFailedException);
  });

  it('treats deleting something the agent no longer has as done (idempotent retries)', async () => {
    const client = new AgentClient(
      target,
      1000,
      respond(404, { statusCode: 404, code: 'not-found', message: 'no such container' }),
    );
    await expect(client.deleteContainer('c1')).resolves.toBeUndefined();
  });

  it('fails an answer outside the agent API with a 502 naming the field', async () => {
    const client = new AgentClient(target, 1000, respond(200, { ...container, running: 'yes' }));
    const error = await client.container('c1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentFailedException);
    expect((error as Error).message).toMatch(/GET \/v1\/containers\/c1 outside .*running: /);
  });

  it('passes an answer on as sent, fields the contract does not know included', async () => {
    const client = new AgentClient(target, 1000, respond(200, { ...container, newer: 1 }));
    expect(await client.container('c1')).toEqual({ ...container, newer: 1 });
  });

  it('reports an unreachable agent as unavailable', async () => {
    const fetchFn = vi.fn(async () => {
      throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
    });
    const error = await new AgentClient({ ...target, name: 'zfs-1' }, 1000, fetchFn)
      .health()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentUnavailableException);
    // Whoever sees the job learns the host's name; its address and the error are admins'.
    expect((error as Error).message).toMatch(/^storage agent of host zfs-1 unreachable/);
    expect((error as Error).message).not.toMatch(/agent:7070|ECONNREFUSED/);
    expect((error as AgentUnreachableException).detail).toMatch(
      /https:\/\/agent:7070\/ unreachable .*ECONNREFUSED/,
    );
  });

  it('puts hold details in the query string when releasing', async () => {
    const fetchFn = respond(204);
    await new AgentClient(target, 1000, fetchFn).release('h1', {
      containerId: 'c1',
      branchId: 'b1',
      pointId: 'p1',
    });
    expect((fetchFn.mock.calls[0] as unknown as [string])[0]).toBe(
      'https://agent:7070/v1/holds/h1?containerId=c1&branchId=b1&pointId=p1',
    );
  });
});
