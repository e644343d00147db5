import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentCapacity, AgentInventory } from '@branchpoint/contracts';
import {
  cleanup,
  client,
  scratch,
  startAgent,
  TOKEN,
  withoutSpace,
  type RunningAgent,
} from './harness.js';

const PORTS = '56300-56399';

describe('bad input to the running agent', () => {
  let root: string;
  let runDir: string;
  let agent: RunningAgent;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ root, runDir } = await scratch());
    agent = await startAgent({ root, runDir, ports: PORTS });
    call = client(agent);
  });

  afterAll(async () => {
    await agent?.stop();
    await cleanup(root, runDir);
  });

  it('answers 4xx naming the problem and leaves the pool as it was', async () => {
    const before = await call<AgentInventory>('GET', '/v1/inventory');
    const requests: [string, string, unknown, RegExp][] = [
      [
        'PUT',
        '/v1/templates/t%2F..%2Fx/versions/v1',
        { sources: [{ id: 'db', kind: 'directory', path: '/etc' }] },
        /templateId/,
      ],
      [
        'PUT',
        '/v1/templates/t1/versions/v1',
        { sources: [{ id: 'db;rm -rf /', kind: 'directory', path: '/etc' }] },
        /sources\.0\.id/,
      ],
      [
        'PUT',
        '/v1/containers/c%20x',
        { sources: [{ id: 'db', kind: 'postgres' }], password: 'long-enough' },
        /containerId/,
      ],
      ['PUT', '/v1/containers/c1', { sources: 'db', password: 'long-enough' }, /body\.sources/],
      [
        'PUT',
        '/v1/containers/c1/branches/b1',
        { origin: { kind: 'template', templateId: 't1', version: 'v1', extra: true } },
        /extra/,
      ],
      ['PUT', '/v1/containers/c1/branches/b1/points/p%3B1', undefined, /pointId/],
      ['PUT', '/v1/containers/c1/branches/b1/generations/g1', { fromPointId: 'P1' }, /fromPointId/],
      ['PUT', '/v1/holds/h1', { containerId: 'c1', branchId: 'b1', pointId: 1 }, /pointId/],
      ['DELETE', `/v1/containers/${'c'.repeat(80)}`, undefined, /containerId/],
    ];
    for (const [method, route, body, problem] of requests) {
      const answer = await call<{ code: string; message: string }>(method, route, body);
      expect(answer.status, `${method} ${route}`).toBe(400);
      expect(answer.body.message).toMatch(problem);
    }
    expect(withoutSpace((await call<AgentInventory>('GET', '/v1/inventory')).body)).toEqual(
      withoutSpace(before.body),
    );
    expect(
      (
        await client(agent, `${TOKEN}x`)('PUT', '/v1/containers/c1', {
          sources: [{ id: 'db', kind: 'postgres' }],
          password: 'long-enough',
        })
      ).status,
    ).toBe(401);
    expect(
      (await call<AgentInventory>('GET', '/v1/inventory')).body.datasets.map(
        (dataset) => dataset.name,
      ),
    ).toEqual([
      root,
      `${root}/containers`,
      `${root}/incoming`,
      `${root}/points`,
      `${root}/templates`,
    ]);
  });

  it('reports an ingest that cannot reach its source as failed, without the password', async () => {
    const url = new URL(process.env['BP_SOURCE_ADMIN_URL']!);
    url.password = 'wrong-secret';
    const ingest = await call<{ code: string; message: string }>(
      'PUT',
      '/v1/templates/broken/versions/v1',
      {
        sources: [{ id: 'app-db', kind: 'postgres', connectionString: url.toString() }],
      },
    );
    expect(ingest.status).toBe(502);
    expect(ingest.body.code).toBe('ingest-failed');
    expect(ingest.body.message).toMatch(/pg_basebackup failed: .*password authentication failed/);
    expect(ingest.body.message).not.toContain('wrong-secret');
    const status = await call<{ state: string; error: string }>(
      'GET',
      '/v1/templates/broken/versions/v1',
    );
    expect(status.body).toMatchObject({ state: 'failed' });
    expect((await call('DELETE', '/v1/templates/broken')).status).toBe(204);
  });

  it('serves health without a token and capacity with one', async () => {
    expect(await (await agent.fetch(`${agent.url}/v1/health`)).json()).toEqual({ ok: true });
    const capacity = await call<AgentCapacity>('GET', '/v1/capacity');
    expect(capacity.body).toMatchObject({ root, health: 'ONLINE', runningInstances: 0 });
    expect(capacity.body.sizeBytes).toBeGreaterThanOrEqual(capacity.body.freeBytes);
    expect(capacity.body.sizeBytes).toBeGreaterThan(0);
    expect(capacity.body.versions.postgres).toMatch(/PostgreSQL\) 1\d/);
  });

  it('speaks HTTPS only, with the certificate it made, and keeps it across a restart', async () => {
    const made = new X509Certificate(await readFile(path.join(runDir, 'tls/agent.crt')));
    expect(agent.fingerprint).toBe(made.fingerprint256);
    // Plain HTTP gets no answer, and a client that trusts only public roots refuses the agent.
    await expect(fetch(`${agent.url.replace('https:', 'http:')}/v1/health`)).rejects.toThrow();
    await expect(fetch(`${agent.url}/v1/health`)).rejects.toThrow();

    await agent.stop();
    agent = await startAgent({ root, runDir, ports: PORTS });
    call = client(agent);
    expect(agent.fingerprint).toBe(made.fingerprint256);
    expect((await call('GET', '/v1/capacity')).status).toBe(200);
  });
});
