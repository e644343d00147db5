import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRunner } from '../src/common/command-runner.js';
import { Zfs } from '../src/zfs/zfs.js';
import { ZfsExistsError, ZfsNotFoundError } from '../src/zfs/zfs.errors.js';
import { cleanup, scratch } from './harness.js';

/** The driver's batching against zfs itself: what one command of many names answers each. */
describe('zfs commands asked for at once', () => {
  let root: string;
  let runDir: string;
  const holds: string[][] = [];
  const zfs = new Zfs((file, args) => {
    if (args[0] === 'hold') holds.push([...args]);
    return processRunner(file, args);
  }, []);

  beforeAll(async () => {
    ({ root, runDir } = await scratch());
    for (const name of ['a', 'a/db', 'b', 'b/db', 'c', 'c/db'])
      await execa('zfs', ['create', '-p', `${root}/${name}`]);
    for (const name of ['a', 'b', 'c']) await zfs.snapshotRecursive(`${root}/${name}@p`);
    await zfs.hold('t', `${root}/b@p`);
    holds.length = 0;
  });

  afterAll(async () => {
    // A held snapshot cannot be destroyed: the holds go first.
    for (const name of ['a', 'b', 'c'])
      await execa('zfs', ['release', '-r', 't', `${root}/${name}@p`], { reject: false });
    await cleanup(root, runDir);
  });

  it('holds each snapshot of one batch, and gives the ones it could not their own error', async () => {
    const hold = (name: string) =>
      zfs.hold('t', `${root}/${name}`).then(
        () => 'held',
        (error: unknown) =>
          error instanceof ZfsExistsError
            ? 'exists'
            : error instanceof ZfsNotFoundError
              ? 'missing'
              : String(error),
      );
    // Asked for in one turn: one command.
    expect(await Promise.all(['a@p', 'b@p', 'c@p', 'gone@p'].map(hold))).toEqual([
      'held',
      'exists',
      'held',
      'missing',
    ]);
    expect(holds.map((args) => args.length - 3)).toEqual([4]);
    const refs = await execa('zfs', ['get', '-H', '-r', '-o', 'name,value', 'userrefs', root]);
    expect(refs.stdout.split('\n').filter((line) => line.includes('@'))).toEqual(
      ['a', 'a/db', 'b', 'b/db', 'c', 'c/db'].map((name) => `${root}/${name}@p\t1`),
    );
  });
});
