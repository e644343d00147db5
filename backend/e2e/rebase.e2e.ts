import type { ApiClient } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  getContainer,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

interface RebaseView {
  id: string;
  state: string;
  progress: number;
  branchId: string;
  newBranchId: string;
  baseVersion: string;
  targetVersion: string;
  schema: { kind: string; name: string; change: string; table: string | null }[];
  tables: {
    name: string;
    inserted: number;
    updated: number;
    deleted: number;
    conflicts: number;
    failed: number;
  }[];
  conflicts: {
    table: string;
    key: Record<string, unknown>;
    branch: Record<string, unknown> | null;
    template: Record<string, unknown> | null;
  }[];
  conflictCount: number;
  skipped: { table: string | null; kind: string; name: string; reason: string }[];
  skippedCount: number;
  error: string | null;
}

let world: World;
let owner: ApiClient;
let stranger: ApiClient;
let container: ContainerView;
let branchId: string;

beforeAll(async () => {
  world = await startWorld('backend-rebase');
  owner = (await world.stack.createUser('owner')).api;
  stranger = (await world.stack.createUser('stranger')).api;
  container = await createContainer(owner, world.templateId, 'long-lived');
  branchId = container.activeBranchId;
  // The branch's own changes since v1.
  await sql(
    container,
    `UPDATE employees SET salary = 200 WHERE name = 'Grace';
     INSERT INTO employees (name, salary) VALUES ('Margaret', 130);
     DELETE FROM employees WHERE name = 'Linus';
     ALTER TABLE employees ADD COLUMN email text;
     UPDATE employees SET email = 'ada@example.org' WHERE name = 'Ada';
     CREATE TABLE tags (id int PRIMARY KEY, label text NOT NULL);
     INSERT INTO tags VALUES (1, 'urgent'), (2, 'later');
     CREATE TABLE notes (body text);
     INSERT INTO notes VALUES ('no key here')`,
  );
  // Production moves on: Grace's salary changes there too, a row comes in; then v2 is ingested.
  await world.source.query(
    `UPDATE employees SET salary = 125 WHERE name = 'Grace';
     INSERT INTO employees (id, name, salary) VALUES (10, 'Barbara', 140)`,
  );
  await world.stack.api.operate(
    'POST',
    `/templates/${world.templateId}/refresh`,
    undefined,
    300_000,
  );
}, 600_000);

afterAll(async () => {
  await stopWorld(world);
});

describe('rebase', () => {
  let rebase: RebaseView;

  it('replays the branch on a new branch of the newest version, reporting conflicts and what it skipped', async () => {
    const { id } = await owner.operate('POST', `/branches/${branchId}/rebase`, {}, 600_000);
    rebase = await owner.expect<RebaseView>(200, 'GET', `/rebases/${id}`);
    expect(rebase).toMatchObject({
      state: 'succeeded',
      progress: 100,
      error: null,
      branchId,
      baseVersion: 'v1',
      targetVersion: 'v2',
      conflictCount: 1,
    });
    expect(rebase.conflicts).toEqual([
      {
        table: 'public.employees',
        key: { id: 2 },
        branch: { id: 2, name: 'Grace', salary: 200, email: null },
        template: { id: 2, name: 'Grace', salary: 125 },
      },
    ]);
    expect(rebase.tables).toEqual([
      { name: 'public.employees', inserted: 1, updated: 1, deleted: 1, conflicts: 1, failed: 0 },
      { name: 'public.tags', inserted: 2, updated: 0, deleted: 0, conflicts: 0, failed: 0 },
    ]);
    expect(rebase.schema.map((s) => `${s.change} ${s.kind} ${s.name}`)).toEqual([
      'added column email',
      'added table public.notes',
      'added table public.tags',
      'added constraint public.tags.tags_pkey',
    ]);
    expect(rebase.skipped).toEqual([
      {
        table: 'public.notes',
        kind: 'rows',
        name: 'public.notes',
        reason: 'no primary key: 1 rows added, 0 removed, 0 changed by the branch are not replayed',
      },
    ]);
  }, 700_000);

  it('serves the new branch with the replayed rows, the new version and not the conflicting change', async () => {
    container = await getContainer(owner, container.id);
    expect(container.activeBranchId).toBe(rebase.newBranchId);
    expect(container.templateVersion).toBe('v2');
    expect(
      await sql(container, 'SELECT id, name, salary, email FROM employees ORDER BY id'),
    ).toEqual([
      { id: 1, name: 'Ada', salary: 100, email: 'ada@example.org' },
      { id: 2, name: 'Grace', salary: 125, email: null },
      { id: 4, name: 'Margaret', salary: 130, email: null },
      { id: 10, name: 'Barbara', salary: 140, email: null },
    ]);
    expect(await sql(container, 'SELECT id, label FROM tags ORDER BY id')).toEqual([
      { id: 1, label: 'urgent' },
      { id: 2, label: 'later' },
    ]);
    expect(await sql(container, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
    // The serial sequence moved past the rows replayed and the new version's.
    expect(
      await sql(
        container,
        `INSERT INTO employees (name, salary) VALUES ('Edsger', 1) RETURNING id`,
      ),
    ).toEqual([{ id: 11 }]);
  });

  it('leaves the old branch as it was', async () => {
    await owner.operate('POST', `/branches/${branchId}/activate`);
    container = await getContainer(owner, container.id);
    expect(
      await sql(container, 'SELECT id, name, salary, email FROM employees ORDER BY id'),
    ).toEqual([
      { id: 1, name: 'Ada', salary: 100, email: 'ada@example.org' },
      { id: 2, name: 'Grace', salary: 200, email: null },
      { id: 4, name: 'Margaret', salary: 130, email: null },
    ]);
    expect(container.branches.find((b) => b.id === branchId)?.templateVersion).toBe('v1');
  });

  it('answers bad input with 4xx and keeps rebases to their creator', async () => {
    await owner.expect(400, 'POST', `/branches/${branchId}/rebase`, { templateVersion: 'latest' });
    await owner.expect(400, 'POST', `/branches/${branchId}/rebase`, { templateVersion: 'v9' });
    await owner.expect(400, 'POST', `/branches/${branchId}/rebase`, { name: 'a b' });
    await owner.expect(409, 'POST', `/branches/${branchId}/rebase`, { templateVersion: 'v1' });
    // The default name is taken by the first rebase.
    await owner.expect(409, 'POST', `/branches/${branchId}/rebase`, {});
    await owner.expect(404, 'POST', `/branches/${crypto.randomUUID()}/rebase`, {});
    await stranger.expect(404, 'POST', `/branches/${branchId}/rebase`, {});
    await stranger.expect(404, 'GET', `/rebases/${rebase.id}`);
    await stranger.expect(404, 'DELETE', `/rebases/${rebase.id}`);
    await owner.expect(404, 'GET', `/rebases/${crypto.randomUUID()}`);
  });
});
