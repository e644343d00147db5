import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  getContainer,
  names,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

/**
 * The control plane's own dependencies go away in the middle of operations: the metadata
 * PostgreSQL server restarts, and Redis drops its clients and loses the queue (a restart
 * without persistence). Each job still ends, and the
 * API still says what the host serves.
 */

let world: World;
let container: ContainerView;

beforeAll(async () => {
  world = await startWorld('depfaults', { clonePorts: { first: 57500, last: 57549 } });
  container = await createContainer(world.stack.api, world.templateId, 'dependency-faults');
}, 300_000);

afterAll(async () => {
  await stopWorld(world);
}, 120_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(method: string, path: string, body?: unknown): Promise<string> {
  const { jobId } = await world.stack.api.expect<{ jobId: string }>(202, method, path, body);
  return jobId;
}

async function expectSucceeded(jobId: string): Promise<void> {
  const job = await world.stack.api.waitForJob(jobId, 240_000);
  expect(job.state, `${job.type}: ${job.error ?? ''}\n${job.log.join('\n')}`).toBe('succeeded');
}

/**
 * Stops the metadata PostgreSQL server (fast shutdown: clients are cut off), keeps it down
 * for a while, and starts it again: what an operator's restart does to the control plane.
 */
async function restartMetadataDatabase(downMs: number): Promise<void> {
  const dataDir = `${process.env['BP_DATA_DIR']}/pg-meta`;
  const pgCtl = `${process.env['BP_PG_BIN'] ?? '/usr/lib/postgresql/15/bin'}/pg_ctl`;
  const asPostgres = (...args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, '-D', dataDir, ...args], {
      cwd: '/',
      stdio: 'ignore',
    });
  asPostgres('-m', 'fast', '-w', 'stop');
  try {
    await sleep(downMs);
  } finally {
    asPostgres('-l', `${dataDir}/server.log`, '-w', '-t', '60', 'start');
  }
}

async function bookmark(name: string): Promise<string> {
  const { id } = await world.stack.api.operate(
    'POST',
    `/branches/${container.activeBranchId}/bookmarks`,
    { name },
  );
  return id!;
}

describe('the metadata database restarts mid-operation', () => {
  it('the restore still ends, and the data is what the bookmark holds', async () => {
    const target = await bookmark('before the cut');
    const before = await names(container);
    await sql(container, `INSERT INTO employees (name, salary) VALUES ('after the bookmark', 1)`);
    const jobId = await start('POST', `/branches/${container.activeBranchId}/restore`, {
      bookmarkId: target,
    });
    await sleep(300);
    await restartMetadataDatabase(4_000);
    await expectSucceeded(jobId);
    container = await getContainer(world.stack.api, container.id);
    expect((await names(container)).sort()).toEqual(before.sort());
  }, 300_000);

  it('answers with a clear 503 while the database is down, and normally once it is back', async () => {
    const during = restartMetadataDatabase(3_000);
    await sleep(1_000);
    const response = await world.stack.api.request('GET', `/containers/${container.id}`);
    await during;
    expect(response.status, JSON.stringify(response.body)).toBe(503);
    await world.stack.api.expect(200, 'GET', `/containers/${container.id}`);
  }, 120_000);
});

describe('Redis restarts without its data mid-operation', () => {
  it('a running job and one queued behind it both end', async () => {
    const branchId = (
      await world.stack.api.operate('POST', `/containers/${container.id}/branches`, {
        name: 'other',
        fromBookmarkId: await bookmark('origin of other'),
      })
    ).id!;
    const first = await start('POST', `/branches/${branchId}/activate`);
    const second = await start('POST', `/branches/${branchId}/bookmarks`, { name: 'queued' });
    await sleep(300);
    const redis = new Redis(process.env['REDIS_URL']!);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${world.stack.queuePrefix}:*`,
          'COUNT',
          500,
        );
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    } finally {
      redis.disconnect();
    }
    await expectSucceeded(first);
    await expectSucceeded(second);
    container = await getContainer(world.stack.api, container.id);
    expect(container.activeBranchId).toBe(branchId);
    const jobs = await world.stack.api.expect<{ state: string }[]>(
      200,
      'GET',
      `/jobs?containerId=${container.id}`,
    );
    expect(jobs.filter((job) => job.state === 'queued' || job.state === 'running')).toEqual([]);
    await world.stack.api.operate('POST', `/branches/${branchId}/bookmarks`, { name: 'next' });
  }, 300_000);
});
