import type { ApiClient } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

interface TableDiff {
  name: string;
  added: number;
  removed: number;
  changed: number;
  matchedBy: string;
  schema: { kind: string; name: string; change: string; from?: string; to?: string }[];
  changedRows: {
    key: Record<string, unknown>;
    columns: { name: string; from: unknown; to: unknown }[];
  }[];
}

interface DiffView {
  id: string;
  state: string;
  progress: number;
  tables: TableDiff[];
  unchangedTables: number;
  error: string | null;
}

let world: World;
let owner: ApiClient;
let stranger: ApiClient;
let container: ContainerView;
let before: string;
let laterPoint: string;

beforeAll(async () => {
  world = await startWorld('backend-diffs');
  owner = (await world.stack.createUser('owner')).api;
  stranger = (await world.stack.createUser('stranger')).api;
  container = await createContainer(owner, world.templateId, 'compared');
  await sql(
    container,
    `CREATE TABLE notes (body text); INSERT INTO notes VALUES ('one'), ('two'), ('two');
     CREATE TABLE untouched (id int PRIMARY KEY); INSERT INTO untouched VALUES (1), (2)`,
  );
  ({ id: before } = (await owner.operate(
    'POST',
    `/branches/${container.activeBranchId}/bookmarks`,
    {
      name: 'before',
    },
  )) as { id: string });
  await sql(
    container,
    `INSERT INTO employees (name, salary) VALUES ('Margaret', 130);
     DELETE FROM employees WHERE name = 'Linus';
     UPDATE employees SET salary = 200 WHERE name = 'Grace';
     ALTER TABLE employees ADD COLUMN email text;
     CREATE INDEX employees_name ON employees (name);
     DELETE FROM notes WHERE ctid = (SELECT min(ctid) FROM notes WHERE body = 'two');
     INSERT INTO notes VALUES ('three')`,
  );
  const { id: after } = await owner.operate(
    'POST',
    `/branches/${container.activeBranchId}/bookmarks`,
    {
      name: 'after',
    },
  );
  laterPoint = (await owner.expect<{ pointId: string }>(200, 'GET', `/bookmarks/${after}`)).pointId;
}, 300_000);

afterAll(async () => {
  await stopWorld(world);
});

describe('diffs', () => {
  it('compares a bookmark with a later point: rows by key, rows by hash, schema', async () => {
    const { id, job } = await owner.operate('POST', '/diffs', { from: before, to: laterPoint });
    expect(job.state).toBe('succeeded');
    const diff = await owner.expect<DiffView>(200, 'GET', `/diffs/${id}`);
    expect(diff).toMatchObject({
      state: 'succeeded',
      progress: 100,
      error: null,
      unchangedTables: 1,
    });
    const employees = diff.tables.find((t) => t.name === 'public.employees')!;
    expect(employees).toMatchObject({ added: 1, removed: 1, changed: 1, matchedBy: 'key' });
    expect(employees.changedRows).toEqual([
      { key: { id: 2 }, columns: [{ name: 'salary', from: 120, to: 200 }] },
    ]);
    expect(employees.schema).toEqual([
      { kind: 'column', name: 'email', change: 'added', to: 'text' },
      {
        kind: 'index',
        name: 'public.employees_name',
        change: 'added',
        to: 'CREATE INDEX employees_name ON public.employees USING btree (name)',
      },
    ]);
    const notes = diff.tables.find((t) => t.name === 'public.notes')!;
    expect(notes).toMatchObject({
      added: 1,
      removed: 1,
      changed: 0,
      matchedBy: 'hash',
      schema: [],
    });
    expect(diff.tables.map((t) => t.name).sort()).toEqual(['public.employees', 'public.notes']);
    // The clones it compared on are gone; the container was never touched.
    expect(await owner.expect<unknown[]>(200, 'GET', '/previews')).toEqual([]);
    expect(await sql(container, 'SELECT count(*)::int AS n FROM employees')).toEqual([{ n: 3 }]);
  });

  it('finds no difference between a point and itself', async () => {
    const { id } = await owner.operate('POST', '/diffs', { from: laterPoint, to: laterPoint });
    const diff = await owner.expect<DiffView>(200, 'GET', `/diffs/${id}`);
    expect(diff.tables).toEqual([]);
    expect(diff.unchangedTables).toBe(3);
  });

  it('answers bad input with 4xx and keeps diffs to their creator', async () => {
    await owner.expect(400, 'POST', '/diffs', {});
    await owner.expect(400, 'POST', '/diffs', { from: before });
    await owner.expect(400, 'POST', '/diffs', { from: 'x', to: laterPoint });
    await owner.expect(404, 'POST', '/diffs', { from: before, to: crypto.randomUUID() });
    await stranger.expect(404, 'POST', '/diffs', { from: before, to: laterPoint });
    const accepted = await owner.expect<{ id: string }>(202, 'POST', '/diffs', {
      from: before,
      to: laterPoint,
    });
    await stranger.expect(404, 'GET', `/diffs/${accepted.id}`);
    await stranger.expect(404, 'DELETE', `/diffs/${accepted.id}`);
    // Deleting cancels: the row goes at once, the clones soon after.
    await owner.expect(204, 'DELETE', `/diffs/${accepted.id}`);
    await owner.expect(404, 'GET', `/diffs/${accepted.id}`);
    await eventually(async () => {
      expect(await owner.expect<unknown[]>(200, 'GET', '/previews')).toEqual([]);
    }, 120_000);
  });

  it("compares with a branch's head: its data now, taken as a point", async () => {
    await sql(container, 'INSERT INTO untouched VALUES (3)');
    const { id } = await owner.operate(
      'POST',
      '/diffs',
      { from: laterPoint, to: container.activeBranchId },
      300_000,
    );
    const diff = await owner.expect<DiffView & { to: { snapshot?: boolean; pointId: string } }>(
      200,
      'GET',
      `/diffs/${id}`,
    );
    expect(diff.tables).toEqual([
      {
        name: 'public.untouched',
        added: 1,
        removed: 0,
        changed: 0,
        matchedBy: 'key',
        schema: [],
        changedRows: [],
      },
    ]);
    expect(diff.to.snapshot).toBe(true);
    const timeline = await owner.expect<{ id: string; type: string }[]>(
      200,
      'GET',
      `/branches/${container.activeBranchId}/timeline?limit=100`,
    );
    expect(timeline.find((p) => p.id === diff.to.pointId)?.type).toBe('snapshot');
    await stranger.expect(404, 'POST', '/diffs', {
      from: laterPoint,
      to: container.activeBranchId,
    });
  }, 300_000);
});
