import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeStartable } from './startable.js';

const owner = { name: 'bp-2999001', uid: 2999001, gid: 2999001 };

describe('makeStartable', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bp-startable-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('removes standby signals and replication settings, keeps the rest', async () => {
    await writeFile(path.join(dir, 'standby.signal'), '');
    await writeFile(path.join(dir, 'recovery.signal'), '');
    await writeFile(
      path.join(dir, 'postgresql.auto.conf'),
      "work_mem = '8MB'\nprimary_conninfo = 'host=prod password=x'\nprimary_slot_name = 's1'\n",
    );
    await makeStartable(dir, owner);
    const files = await readdir(dir);
    expect(files).not.toContain('standby.signal');
    expect(files).not.toContain('recovery.signal');
    expect((await stat(path.join(dir, 'postgresql.auto.conf'))).uid).toBe(owner.uid);
    const auto = await readFile(path.join(dir, 'postgresql.auto.conf'), 'utf8');
    expect(auto).toContain("work_mem = '8MB'");
    expect(auto).not.toMatch(/primary_/);
  });

  it('refuses a postgresql.auto.conf that is a link, and leaves its target alone', async () => {
    const target = path.join(dir, 'elsewhere');
    await writeFile(target, 'precious');
    await symlink(target, path.join(dir, 'postgresql.auto.conf'));
    await expect(makeStartable(dir, owner)).rejects.toThrow(/symbolic link/);
    expect(await readFile(target, 'utf8')).toBe('precious');
    expect((await stat(target)).uid).toBe(0);
  });
});
