import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeStartable } from './startable.js';

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
    await makeStartable(dir);
    const files = await readdir(dir);
    expect(files).not.toContain('standby.signal');
    expect(files).not.toContain('recovery.signal');
    expect(files).toContain('postgresql.conf');
    const auto = await readFile(path.join(dir, 'postgresql.auto.conf'), 'utf8');
    expect(auto).toContain("work_mem = '8MB'");
    expect(auto).not.toMatch(/primary_/);
  });
});
