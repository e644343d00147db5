import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  getContainer,
  names,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

/**
 * A pool of its own, small, filled up to the last byte while a container runs on it:
 * operations fail with a clear error (or succeed), nothing is corrupted, and once space is
 * freed the container takes the next operation with its data intact.
 */

const suffix = randomBytes(3).toString('hex');
const pool = `bpfull${suffix}`;
const image = join(tmpdir(), `${pool}.img`);
const mountpoint = join(tmpdir(), `${pool}-mnt`);
const zfs = (...args: string[]) => execFileSync('zfs', args, { encoding: 'utf8' });
const zpool = (...args: string[]) => execFileSync('zpool', args, { encoding: 'utf8' });

/** zfs-fuse answers "busy" while it unmounts what is destroyed: asked again, it goes. */
async function untilGone(destroy: () => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return destroy();
    } catch (error) {
      if (attempt >= 40 || !/busy/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

let world: World | undefined;
let container: ContainerView;

beforeAll(async () => {
  execFileSync('truncate', ['-s', '512M', image]);
  mkdirSync(mountpoint, { recursive: true });
  zpool('create', '-m', mountpoint, pool, image);
  world = await startWorld('poolfull', { pool, clonePorts: { first: 57550, last: 57599 } });
  container = await createContainer(world.stack.api, world.templateId, 'full');
}, 300_000);

afterAll(async () => {
  await stopWorld(world);
  try {
    await untilGone(() => zpool('destroy', '-f', pool));
  } finally {
    rmSync(image, { force: true });
    rmSync(mountpoint, { recursive: true, force: true });
  }
}, 120_000);

/** Writes zeros into a dataset of its own until the pool has no room left. */
function fillPool(): void {
  zfs('create', '-o', 'compression=off', `${pool}/filler`);
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${mountpoint}/filler/zeros`, 'bs=1M'], {
      stdio: 'ignore',
    });
  } catch {
    // dd ends with "No space left on device": that is the point.
  }
}

describe('the pool is full', () => {
  it('an operation fails clearly or succeeds, and the API still says what the host serves', async () => {
    const api = world!.stack.api;
    const { id: bookmarkId } = await api.operate(
      'POST',
      `/branches/${container.activeBranchId}/bookmarks`,
      { name: 'before full' },
    );
    const before = await names(container);
    fillPool();
    const attempts: string[] = [];
    for (const [method, path, body] of [
      ['POST', `/branches/${container.activeBranchId}/restore`, { bookmarkId }],
      ['POST', `/branches/${container.activeBranchId}/bookmarks`, { name: 'while full' }],
    ] as const) {
      const { jobId } = await api.expect<{ jobId: string }>(202, method, path, body);
      const job = await api.waitForJob(jobId, 240_000);
      attempts.push(`${job.type}: ${job.state} ${job.error ?? ''}`);
      if (job.state === 'failed') expect(job.error).toMatch(/the pool is full/);
    }
    console.log(`with the pool full: ${attempts.join('; ')}`);
    await untilGone(() => zfs('destroy', `${pool}/filler`));
    // A destroyed dataset's blocks are freed in the background: the servers' crash recovery
    // needs them back before the start below.
    await eventually(() => {
      const available = Number(zfs('get', '-Hpo', 'value', 'available', pool).trim());
      expect(available).toBeGreaterThan(128 * 1024 * 1024);
    }, 60_000);

    container = await getContainer(api, container.id);
    const jobs = await api.expect<{ state: string }[]>(
      200,
      'GET',
      `/jobs?containerId=${container.id}`,
    );
    expect(jobs.filter((job) => job.state === 'queued' || job.state === 'running')).toEqual([]);
    // Whatever succeeded or failed, the data is the bookmark's, and it takes writes again.
    await api.operate('POST', `/containers/${container.id}/start`);
    expect((await names(container)).sort()).toEqual(before.sort());
    await sql(container, `INSERT INTO employees (name, salary) VALUES ('after full', 1)`);
    await api.operate('POST', `/branches/${container.activeBranchId}/bookmarks`, {
      name: 'after full',
    });
  }, 600_000);
});
