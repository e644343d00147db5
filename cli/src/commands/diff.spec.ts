import { describe, expect, it } from 'vitest';
import { renderDiff } from './diff.js';

type Diff = Parameters<typeof renderDiff>[0];

const base = {
  id: 'd',
  state: 'succeeded' as const,
  progress: 100,
  from: { ref: 'a', containerId: 'c', branchId: 'b', pointId: 'p', bookmarkId: null },
  to: { ref: 'b', containerId: 'c', branchId: 'b', pointId: 'q', bookmarkId: null },
  schema: [],
  error: null,
  createdAt: '2026-12-04T00:00:00.000Z',
};

describe('renderDiff', () => {
  it('shows a line per table, then its schema changes and changed rows', () => {
    const text = renderDiff({
      ...base,
      unchangedTables: 2,
      tables: [
        {
          name: 'public.employees',
          added: 1,
          removed: 1,
          changed: 1,
          matchedBy: 'key',
          schema: [{ kind: 'column', name: 'email', change: 'added', to: 'text' }],
          // Column values are any JSON (the schema cannot say so).
          changedRows: [{ key: { id: 2 }, columns: [{ name: 'salary', from: 120, to: 200 }] }],
        },
      ],
    } as unknown as Diff);
    expect(text).toContain('public.employees  1      1        1        1       key');
    expect(text).toContain('  added column email: text');
    expect(text).toContain('  row {"id":2}: salary 120 -> 200');
    expect(text).toContain('2 tables unchanged');
  });

  it('says when there is no difference', () => {
    expect(renderDiff({ ...base, tables: [], unchangedTables: 3 })).toBe(
      'no differences (3 tables compared)',
    );
  });
});
