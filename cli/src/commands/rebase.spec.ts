import { describe, expect, it } from 'vitest';
import { renderRebase } from './rebase.js';

type Rebase = Parameters<typeof renderRebase>[0];

describe('renderRebase', () => {
  it('shows the new branch, the tables, the schema changes, conflicts and what was skipped', () => {
    const text = renderRebase({
      id: 'r',
      state: 'succeeded',
      progress: 100,
      containerId: 'c',
      branchId: 'b',
      newBranchId: 'n',
      basePointId: 'p',
      headPointId: 'h',
      baseVersion: 'v1',
      targetVersion: 'v2',
      schema: [{ kind: 'column', name: 'email', change: 'added', table: 'public.employees' }],
      tables: [
        { name: 'public.employees', inserted: 1, updated: 2, deleted: 3, conflicts: 1, failed: 0 },
      ],
      conflicts: [
        {
          table: 'public.employees',
          key: { id: 2 },
          branch: { id: 2, salary: 200 },
          template: { id: 2, salary: 125 },
        },
      ],
      conflictCount: 1,
      skipped: [
        { table: 'public.notes', kind: 'rows', name: 'public.notes', reason: 'no primary key' },
      ],
      skippedCount: 1,
      error: null,
      createdAt: '2026-12-04T00:00:00.000Z',
    } as Rebase);
    expect(text).toContain('new branch n (v1 -> v2) is active');
    expect(text).toContain('public.employees  1         2        3        1          0');
    expect(text).toContain('  added column email');
    expect(text).toContain(
      '  public.employees {"id":2}: branch {"id":2,"salary":200}, new version {"id":2,"salary":125}',
    );
    expect(text).toContain('  rows public.notes: no primary key');
  });
});
