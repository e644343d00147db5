import { describe, expect, it } from 'vitest';
import type { CommandResult, CommandRunner } from '../common/command-runner.js';
import { withCallReads } from './call-reads.js';
import { Zfs } from './zfs.js';
import { ZfsBusyError, ZfsHasDependentsError, ZfsNotFoundError } from './zfs.errors.js';

/** A runner that answers from a script and records every argument array. */
function scripted(...answers: Partial<CommandResult>[]) {
  const calls: string[][] = [];
  const run: CommandRunner = async (file, args) => {
    calls.push([file, ...args]);
    return { stdout: '', stderr: '', exitCode: 0, ...(answers.shift() ?? {}) };
  };
  return { zfs: new Zfs(run, USER_PROPERTIES), calls };
}

const USER_PROPERTIES = [
  'branchpoint:kind',
  'branchpoint:uid',
  'branchpoint:unset',
  'branchpoint:x',
];
const DESCRIBED =
  'type,origin,used,referenced,userrefs,defer_destroy,creation,mountpoint,mounted,' +
  USER_PROPERTIES.join(',');

const busy = { exitCode: 1, stderr: "cannot destroy 'tank/bp/c1': dataset is busy" };

describe('Zfs', () => {
  it('answers a property of a dataset the call described already from that description', async () => {
    const all = [
      'tank/bp/c1\ttype\tfilesystem\t-',
      'tank/bp/c1\tbranchpoint:uid\t70001\tlocal',
    ].join('\n');
    const { zfs, calls } = scripted(
      { stdout: all },
      {},
      { stdout: 'tank/bp/c1\tbranchpoint:x\t1\tlocal' },
    );
    await withCallReads(async () => {
      await zfs.describe('tank/bp/c1', { depth: 0 });
      expect(await zfs.getValue('tank/bp/c1', 'branchpoint:uid')).toBe('70001');
      expect(await zfs.getValue('tank/bp/c1', 'branchpoint:unset')).toBeNull();
      // Another dataset, or after a change, is read again.
      await zfs.set('tank/bp/c1', 'branchpoint:x', '1');
      expect(await zfs.getValue('tank/bp/c1', 'branchpoint:x')).toBe('1');
    });
    expect(calls.map((call) => call[1])).toEqual(['get', 'set', 'get']);
  });

  it('reads a property a describe does not read with a command of its own', async () => {
    const { zfs, calls } = scripted(
      { stdout: 'tank/bp\ttype\tfilesystem\t-' },
      { stdout: 'tank/bp\tcompression\tlz4\tlocal' },
    );
    await withCallReads(async () => {
      await zfs.describe('tank/bp', { depth: 0 });
      expect(await zfs.getValue('tank/bp', 'compression')).toBe('lz4');
    });
    expect(calls.map((call) => call.at(-2))).toEqual([DESCRIBED, 'compression']);
  });

  it('builds argument arrays, one value per element', async () => {
    const { zfs, calls } = scripted();
    await zfs.create('tank/bp/c1', {
      'branchpoint:kind': 'container',
      'branchpoint:sources': 'db:postgres:55000',
    });
    await zfs.clone('tank/bp/t1/db@v1', 'tank/bp/c1/main/g0/db', { 'branchpoint:kind': 'source' });
    await zfs.snapshotRecursive('tank/bp/c1/main/g0@p1');
    await zfs.hold('bm-1', 'tank/bp/c1/main/g0@p1');
    await zfs.destroy('tank/bp/c1/main/g0@p1', { recursive: true, deferred: true });
    expect(calls).toEqual([
      [
        'zfs',
        'create',
        '-p',
        '-o',
        'branchpoint:kind=container',
        '-o',
        'branchpoint:sources=db:postgres:55000',
        'tank/bp/c1',
      ],
      [
        'zfs',
        'clone',
        '-o',
        'branchpoint:kind=source',
        'tank/bp/t1/db@v1',
        'tank/bp/c1/main/g0/db',
      ],
      ['zfs', 'snapshot', '-r', 'tank/bp/c1/main/g0@p1'],
      ['zfs', 'hold', '-r', 'bm-1', 'tank/bp/c1/main/g0@p1'],
      ['zfs', 'destroy', '-r', '-d', 'tank/bp/c1/main/g0@p1'],
    ]);
  });

  it('retries a filesystem destroy that zfs-fuse first answers with busy', async () => {
    const { zfs, calls } = scripted(busy, {});
    await zfs.destroy('tank/bp/c1', { recursive: true });
    expect(calls).toHaveLength(2);
  });

  it('does not retry a busy (held) snapshot', async () => {
    const { zfs, calls } = scripted(busy, {});
    await expect(zfs.destroy('tank/bp/c1@p1')).rejects.toBeInstanceOf(ZfsBusyError);
    expect(calls).toHaveLength(1);
  });

  it('maps failures to typed errors', async () => {
    const { zfs } = scripted(
      { exitCode: 1, stderr: "cannot open 'tank/bp/x': dataset does not exist" },
      {
        exitCode: 1,
        stderr:
          "cannot destroy 'tank/bp/t1/db@v1': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\ntank/bp/c1/main/g0/db\n",
      },
    );
    await expect(zfs.getValue('tank/bp/x', 'branchpoint:generation')).rejects.toBeInstanceOf(
      ZfsNotFoundError,
    );
    const error = await zfs.destroy('tank/bp/t1/db@v1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZfsHasDependentsError);
    expect((error as ZfsHasDependentsError).dependents).toEqual(['tank/bp/c1/main/g0/db']);
  });

  it('describes datasets from get -H -p of their properties by name, keeping only local branchpoint ones', async () => {
    const stdout = [
      'tank/bp/c1/main/g0/db\ttype\tfilesystem\t-',
      'tank/bp/c1/main/g0/db\torigin\ttank/bp/t1/db@v1\t-',
      'tank/bp/c1/main/g0/db\tused\t1052672\t-',
      'tank/bp/c1/main/g0/db\treferenced\t50057216\t-',
      'tank/bp/c1/main/g0/db\tcreation\t1795425157\t-',
      'tank/bp/c1/main/g0/db\tmounted\tyes\t-',
      'tank/bp/c1/main/g0/db\tmountpoint\t/mnt/bp/c1/main/g0/db\tinherited from tank',
      'tank/bp/c1/main/g0/db\tbranchpoint:kind\tsource\tlocal',
      'tank/bp/c1/main/g0/db\tbranchpoint:container-id\tc1\tinherited from tank/bp/c1',
      'tank/bp/c1/main/g0/db@p1\ttype\tsnapshot\t-',
      'tank/bp/c1/main/g0/db@p1\tuserrefs\t1\t-',
      '',
    ].join('\n');
    const { zfs, calls } = scripted({ stdout });
    const infos = await zfs.describe('tank/bp/c1/main/g0/db');
    expect(calls[0]).toEqual([
      'zfs',
      'get',
      '-H',
      '-p',
      '-r',
      '-o',
      'name,property,value,source',
      DESCRIBED,
      'tank/bp/c1/main/g0/db',
    ]);
    expect(infos).toEqual([
      {
        name: 'tank/bp/c1/main/g0/db',
        type: 'filesystem',
        origin: 'tank/bp/t1/db@v1',
        usedBytes: 1052672,
        referencedBytes: 50057216,
        userrefs: 0,
        deferDestroy: false,
        creation: 1795425157,
        mountpoint: '/mnt/bp/c1/main/g0/db',
        mounted: true,
        properties: { kind: 'source' },
      },
      expect.objectContaining({
        name: 'tank/bp/c1/main/g0/db@p1',
        type: 'snapshot',
        userrefs: 1,
        properties: {},
      }),
    ]);
  });

  it('counts a property brought by zfs receive as the dataset own, not as inherited', async () => {
    const stdout = [
      'tank/bp/t1/db\ttype\tfilesystem\t-',
      'tank/bp/t1/db\tbranchpoint:database\temployees\treceived',
      'tank/bp/t1/db\tbranchpoint:uid\t3000000\tinherited from tank/bp/t1',
      '',
    ].join('\n');
    const { zfs } = scripted({ stdout });
    const [info] = await zfs.describe('tank/bp/t1/db', { depth: 0 });
    expect(info?.properties).toEqual({ database: 'employees' });
  });

  it('parses zpool sizes with units', async () => {
    const { zfs } = scripted({ stdout: 'tank\t19.9G\t19.8G\t568K\tONLINE\n' });
    expect(await zfs.pool('tank')).toEqual({
      name: 'tank',
      sizeBytes: Math.round(19.9 * 1024 ** 3),
      freeBytes: Math.round(19.8 * 1024 ** 3),
      allocatedBytes: 568 * 1024,
      health: 'ONLINE',
    });
  });
});
