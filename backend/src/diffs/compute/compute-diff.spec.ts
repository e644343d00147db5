import { describe, expect, it } from 'vitest';
import { combineSources, type DiffResult, type TableDifference } from './compute-diff.js';

const table = (name: string): TableDifference => ({
  name,
  added: 1,
  removed: 0,
  changed: 0,
  matchedBy: 'key',
  schema: [],
  changedRows: [],
});
const result = (tables: string[], unchanged: number, views: string[] = []): DiffResult => ({
  tables: tables.map(table),
  schema: views.map((name) => ({ kind: 'view', name, change: 'added' })),
  unchangedTables: unchanged,
});

describe('combineSources', () => {
  it('keeps the names of a single source as they are', () => {
    const combined = combineSources([
      { source: 'db', result: result(['public.t'], 2, ['public.v']) },
    ]);
    expect(combined.tables.map((t) => t.name)).toEqual(['public.t']);
    expect(combined.schema.map((c) => c.name)).toEqual(['public.v']);
    expect(combined.unchangedTables).toBe(2);
  });

  it('names each table and object after its source when there are several, and adds up what did not change', () => {
    const combined = combineSources([
      { source: 'site', result: result(['shop.pages'], 1) },
      { source: 'analytics', result: result([], 3, ['public.daily']) },
    ]);
    expect(combined.tables.map((t) => t.name)).toEqual(['site/shop.pages']);
    expect(combined.schema.map((c) => c.name)).toEqual(['analytics/public.daily']);
    expect(combined.unchangedTables).toBe(4);
  });
});
