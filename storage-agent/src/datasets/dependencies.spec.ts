import { describe, expect, it } from 'vitest';
import { AgentFailure } from '../common/agent-failure.js';
import type { DatasetInfo, Zfs } from '../zfs/zfs.js';
import { Dependencies } from './dependencies.js';

const info = (name: string, extra: Partial<DatasetInfo> = {}): DatasetInfo => ({
  name,
  type: name.includes('@') ? 'snapshot' : 'filesystem',
  origin: null,
  usedBytes: 0,
  referencedBytes: 0,
  userrefs: 0,
  deferDestroy: false,
  creation: 0,
  mountpoint: null,
  mounted: false,
  properties: {},
  ...extra,
});

/** A pool of filesystems with origins; `destroy` calls are recorded. */
function fakeZfs(filesystems: Record<string, string | null>, snapshots: DatasetInfo[] = []) {
  const destroyed: string[] = [];
  const within = (name: string, root: string) =>
    name === root || name.startsWith(`${root}/`) || name.startsWith(`${root}@`);
  const zfs = {
    listOrigins: async (root: string) =>
      Object.entries(filesystems)
        .filter(([name]) => within(name, root))
        .map(([name, origin]) => ({ name, origin })),
    describe: async (root: string) =>
      [...Object.keys(filesystems).map((name) => info(name)), ...snapshots].filter((entry) =>
        within(entry.name, root),
      ),
    destroy: async (name: string) => {
      destroyed.push(name);
    },
  } as unknown as Zfs;
  return { zfs, destroyed };
}

/** fakeZfs whose origins no longer list what was destroyed (so "the last clone" can go). */
function forgetting(filesystems: Record<string, string | null>) {
  const fake = fakeZfs(filesystems);
  const listOrigins = fake.zfs.listOrigins.bind(fake.zfs);
  fake.zfs.listOrigins = async (root: string) =>
    (await listOrigins(root)).filter((fs) => !fake.destroyed.includes(fs.name));
  return fake;
}

describe('Dependencies', () => {
  const tree = {
    'tank/bp': null,
    'tank/bp/c1': null,
    'tank/bp/c1/main': null,
    'tank/bp/c1/main/g0': null,
    'tank/bp/c1/main/g0/db': 'tank/bp/t1/db@v1',
    'tank/bp/c1/main/r1': null,
    'tank/bp/c1/main/r1/db': 'tank/bp/c1/main/g0/db@p1',
    'tank/bp/c1/aaa': null,
    'tank/bp/c1/aaa/g0': null,
    'tank/bp/c1/aaa/g0/db': 'tank/bp/c1/main/r1/db@p2',
  };

  it('destroys clones before their origins and children before parents', async () => {
    const { zfs, destroyed } = fakeZfs(tree);
    await new Dependencies(zfs, 'tank/bp').destroyTree('tank/bp/c1', 'container c1');
    expect(destroyed.indexOf('tank/bp/c1/aaa/g0/db')).toBeLessThan(
      destroyed.indexOf('tank/bp/c1/main/r1/db'),
    );
    expect(destroyed.indexOf('tank/bp/c1/main/r1/db')).toBeLessThan(
      destroyed.indexOf('tank/bp/c1/main/g0/db'),
    );
    expect(destroyed.indexOf('tank/bp/c1/main/g0/db')).toBeLessThan(
      destroyed.indexOf('tank/bp/c1/main/g0'),
    );
    expect(destroyed[destroyed.length - 1]).toBe('tank/bp/c1');
    expect(destroyed).toHaveLength(9);
  });

  it('refuses when a clone outside the tree depends on it, naming it, and destroys nothing', async () => {
    const { zfs, destroyed } = fakeZfs({
      ...tree,
      'tank/bp/c2': null,
      'tank/bp/c2/dev': null,
      'tank/bp/c2/dev/g0': null,
      'tank/bp/c2/dev/g0/db': 'tank/bp/c1/main/g0/db@p1',
    });
    const error = await new Dependencies(zfs, 'tank/bp')
      .destroyTree('tank/bp/c1/main', 'branch main')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentFailure);
    expect(error).toMatchObject({ statusCode: 409, code: 'has-dependents' });
    expect((error as Error).message).toContain('tank/bp/c2/dev/g0/db');
    expect((error as Error).message).toContain('tank/bp/c1/aaa/g0/db');
    expect(destroyed).toEqual([]);
  });

  it('refuses a tree with a held snapshot', async () => {
    const { zfs, destroyed } = fakeZfs(tree, [info('tank/bp/c1/main/g0/db@p1', { userrefs: 1 })]);
    await expect(
      new Dependencies(zfs, 'tank/bp').destroyTree('tank/bp/c1', 'container c1'),
    ).rejects.toMatchObject({ code: 'held' });
    expect(destroyed).toEqual([]);
  });

  describe('a point received from another agent', () => {
    const received = {
      'tank/bp/points': null,
      'tank/bp/points/p1': null,
      'tank/bp/points/p1/db': 'tank/bp/templates/t1/db@v1',
      'tank/bp/containers/c2': null,
      'tank/bp/containers/c2/b1': null,
      'tank/bp/containers/c2/b1/g0': null,
      'tank/bp/containers/c2/b1/g0/db': 'tank/bp/points/p1/db@p1',
    };

    it('goes with the last clone of it', async () => {
      const { zfs, destroyed } = forgetting(received);
      await new Dependencies(zfs, 'tank/bp').destroyTree('tank/bp/containers/c2/b1', 'branch b1');
      expect(destroyed.slice(-2)).toEqual(['tank/bp/points/p1/db', 'tank/bp/points/p1']);
    });

    describe('the sweep of unused ones', () => {
      const CUTOFF = new Date('2026-12-05T12:00:00Z');
      /** The received points as `describe` lists them, with their last use. */
      function sweeping(
        filesystems: Record<string, string | null>,
        usedAt: Record<string, string>,
      ) {
        const fake = forgetting(filesystems);
        const describe = fake.zfs.describe.bind(fake.zfs);
        fake.zfs.describe = async (root: string) =>
          (await describe(root)).map((entry) =>
            usedAt[entry.name]
              ? { ...entry, properties: { 'used-at': usedAt[entry.name]! } }
              : entry,
          );
        return fake;
      }

      it('destroys one no clone came of, last used before the cutoff, and keeps the rest', async () => {
        const { zfs, destroyed } = sweeping(
          {
            ...received,
            'tank/bp/points/p2': null,
            'tank/bp/points/p2/db': 'tank/bp/templates/t1/db@v1',
            'tank/bp/points/p3': null,
            'tank/bp/points/p3/db': 'tank/bp/templates/t1/db@v1',
          },
          {
            'tank/bp/points/p1': '2026-12-05T10:00:00Z',
            'tank/bp/points/p2': '2026-12-05T10:00:00Z',
            'tank/bp/points/p3': '2026-12-05T12:10:00Z',
          },
        );
        const swept = await new Dependencies(zfs, 'tank/bp').sweepReceivedPoints(CUTOFF);
        // p1 has a clone; p3 was used within the grace (a job may be about to clone it).
        expect(swept).toEqual(['tank/bp/points/p2']);
        expect(destroyed).toEqual(['tank/bp/points/p2/db', 'tank/bp/points/p2']);
      });

      it('does nothing without received points', async () => {
        const { zfs, destroyed } = sweeping({ 'tank/bp': null }, {});
        expect(await new Dependencies(zfs, 'tank/bp').sweepReceivedPoints(CUTOFF)).toEqual([]);
        expect(destroyed).toEqual([]);
      });
    });

    it('stays while another clone of it lives', async () => {
      const { zfs, destroyed } = forgetting({
        ...received,
        'tank/bp/containers/c3': null,
        'tank/bp/containers/c3/b2': null,
        'tank/bp/containers/c3/b2/g0': null,
        'tank/bp/containers/c3/b2/g0/db': 'tank/bp/points/p1/db@p1',
      });
      await new Dependencies(zfs, 'tank/bp').destroyTree('tank/bp/containers/c2/b1', 'branch b1');
      expect(destroyed.some((name) => name.startsWith('tank/bp/points'))).toBe(false);
    });
  });
});
