import { describe, expect, it } from 'vitest';
import { planRows, type KeyedRow, type Row, type RowStep } from './plan-rows.js';

const rows = (...list: Row[]): KeyedRow[] =>
  list.map((row) => ({ key: `(${String(row['id'])})`, row }));

async function plan(
  base: KeyedRow[],
  head: KeyedRow[],
  next: KeyedRow[],
  columns = { base: ['id', 'v'], head: ['id', 'v'], next: ['id', 'v'] },
): Promise<RowStep[]> {
  const steps: RowStep[] = [];
  for await (const step of planRows({ base, head, next }, columns)) steps.push(step);
  return steps;
}

describe('planRows', () => {
  const base = rows({ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' });

  it('replays what only the branch changed: inserts, updates of the changed columns, deletes', async () => {
    const head = rows({ id: 1, v: 'a' }, { id: 2, v: 'B' }, { id: 4, v: 'd' });
    expect(await plan(base, head, base)).toEqual([
      { op: 'update', key: '(2)', row: { id: 2, v: 'B' }, columns: ['v'] },
      { op: 'delete', key: '(3)', row: { id: 3, v: 'c' } },
      { op: 'insert', key: '(4)', row: { id: 4, v: 'd' } },
    ]);
  });

  it('leaves what only the new version changed', async () => {
    const next = rows({ id: 1, v: 'A' }, { id: 3, v: 'c' }, { id: 9, v: 'z' });
    expect(await plan(base, base, next)).toEqual([]);
  });

  it('reports rows both sides changed differently, and not those they changed alike', async () => {
    const head = rows({ id: 1, v: 'x' }, { id: 2, v: 'same' }, { id: 5, v: 'mine' });
    const next = rows(
      { id: 1, v: 'y' },
      { id: 2, v: 'same' },
      { id: 3, v: 'c' },
      { id: 5, v: 'theirs' },
    );
    expect(await plan(base, head, next)).toEqual([
      { op: 'conflict', key: '(1)', branch: { id: 1, v: 'x' }, template: { id: 1, v: 'y' } },
      // Row 3: the branch deleted it, the new version kept it as it was: a delete.
      { op: 'delete', key: '(3)', row: { id: 3, v: 'c' } },
      {
        op: 'conflict',
        key: '(5)',
        branch: { id: 5, v: 'mine' },
        template: { id: 5, v: 'theirs' },
      },
    ]);
  });

  it('reports a row the branch updated and the new version deleted', async () => {
    const head = rows({ id: 1, v: 'x' }, { id: 2, v: 'b' }, { id: 3, v: 'c' });
    const next = rows({ id: 2, v: 'b' }, { id: 3, v: 'c' });
    expect(await plan(base, head, next)).toEqual([
      { op: 'conflict', key: '(1)', branch: { id: 1, v: 'x' }, template: null },
    ]);
  });

  it("carries values of the branch's own columns, and ignores columns only the new version has", async () => {
    const head = rows(
      { id: 1, v: 'a', note: 'hi' },
      { id: 2, v: 'b', note: null },
      { id: 3, v: 'c', note: 'x' },
    );
    const next = rows({ id: 1, v: 'a', extra: 1 }, { id: 2, v: 'b', extra: 2 });
    const steps = await plan(base, head, next, {
      base: ['id', 'v'],
      head: ['id', 'v', 'note'],
      next: ['id', 'v', 'extra'],
    });
    expect(steps).toEqual([
      { op: 'update', key: '(1)', row: { id: 1, v: 'a', note: 'hi' }, columns: ['note'] },
      // Row 3 is gone in the new version: nothing to carry the note to.
    ]);
  });

  it('merges keys in byte order across all three sides', async () => {
    const key = (k: string, v: string): KeyedRow => ({ key: k, row: { k, v } });
    const steps = await plan(
      [key('(B)', '1')],
      [key('(B)', '1'), key('(a)', '2')],
      [key('(A)', '0'), key('(B)', '1')],
      { base: ['k', 'v'], head: ['k', 'v'], next: ['k', 'v'] },
    );
    expect(steps).toEqual([{ op: 'insert', key: '(a)', row: { k: '(a)', v: '2' } }]);
  });
});
