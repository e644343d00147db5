import type { AgentInventory } from '@branchpoint/contracts';
import { ApiClient } from '@branchpoint/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContainer,
  eventually,
  getContainer,
  names,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

// Disaster recovery of the catalog (docs/operations.md): the metadata database is dropped, or
// restored from an older dump, and POST /recovery rebuilds it from the host's catalog records.

let world: World;
let alice: { id: string; api: ApiClient };
let bob: { id: string; api: ApiClient };
let qa: ContainerView;
let defaultBranchId: string;
let featureBranchId: string;
let beforeFeatureId: string;
let featureDataId: string;
const pgBin = process.env['BP_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
const dumpDir = mkdtempSync(join(tmpdir(), 'bp-recovery-'));

interface RecoveryResult {
  dryRun: boolean;
  adopted: { kind: string; id: string; name: string | null; from: string }[];
  skipped: { kind: string; id: string; reason: string }[];
  unchanged: Record<string, number>;
  users: { id: string; username: string; password: string | null }[];
}

/** What the agent holds, asked directly (not through the control plane). */
async function inventory(): Promise<AgentInventory> {
  const response = await world.stack.agentFetch(`${world.stack.agentUrl}/v1/inventory`, {
    headers: { authorization: `Bearer ${world.stack.agentToken}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as AgentInventory;
}

/** The catalog record the host keeps on the snapshot of a point. */
async function pointRecord(pointId: string): Promise<Record<string, unknown> | null> {
  const snapshot = (await inventory()).datasets.find((d) => d.name.endsWith(`@${pointId}`));
  const text = snapshot?.properties['catalog'];
  return text ? (JSON.parse(text) as Record<string, unknown>) : null;
}

async function metadataQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const databaseName = () => new URL(world.stack.databaseUrl).pathname.slice(1);

/** Stops the control plane, runs `whileStopped` on an empty metadata database, starts it again (migrations, admin). */
async function replaceDatabase(whileStopped: () => Promise<void> = async () => {}): Promise<void> {
  await world.stack.restartBackend('SIGTERM', async () => {
    await metadataQuery(`DROP DATABASE "${databaseName()}" WITH (FORCE)`);
    await metadataQuery(`CREATE DATABASE "${databaseName()}"`);
    await whileStopped();
  });
}

async function adminApi(): Promise<ApiClient> {
  const api = new ApiClient(world.stack.apiUrl);
  return api.as(await api.login('admin', world.stack.adminPassword));
}

async function timeline(api: ApiClient, branchId: string) {
  return api.expect<{ id: string; type: string; bookmarkId?: string }[]>(
    200,
    'GET',
    `/branches/${branchId}/timeline`,
  );
}

beforeAll(async () => {
  world = await startWorld('backend-recovery', {
    clonePorts: { first: 57200, last: 57299 },
    // No periodic round during the test: records must come from the calls after jobs and edits.
    backendEnv: { BP_CATALOG_MIRROR_MS: '3600000' },
  });
  alice = await world.stack.createUser('alice');
  bob = await world.stack.createUser('bob');
});

afterAll(async () => {
  rmSync(dumpDir, { recursive: true, force: true });
  await stopWorld(world);
});

describe('recovery after the metadata database is lost', () => {
  it('sets up two branches with rows of their own, and bookmarks (one shared)', async () => {
    qa = await createContainer(alice.api, world.templateId, 'qa-alice');
    defaultBranchId = qa.activeBranchId;
    await sql(qa, "INSERT INTO employees (name, salary) VALUES ('Default Row', 1)");
    beforeFeatureId = (
      await alice.api.operate('POST', `/branches/${defaultBranchId}/bookmarks`, {
        name: 'before feature',
        description: 'the default branch with its own row',
        tags: ['qa'],
      })
    ).id!;
    featureBranchId = (
      await alice.api.operate('POST', `/containers/${qa.id}/branches`, {
        name: 'feature',
        fromBookmarkId: beforeFeatureId,
      })
    ).id!;
    await alice.api.operate('POST', `/branches/${featureBranchId}/activate`);
    await sql(qa, "INSERT INTO employees (name, salary) VALUES ('Feature Row', 2)");
    featureDataId = (
      await alice.api.operate('POST', `/branches/${featureBranchId}/bookmarks`, {
        name: 'feature data',
        bugRef: 'BUG-17',
        tags: ['bug'],
      })
    ).id!;
    await alice.api.expect(200, 'POST', `/bookmarks/${featureDataId}/share`, {
      userIds: [bob.id],
    });
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', 'Default Row', 'Feature Row']);
  });

  it('mirrors the catalog onto the host right after jobs and edits', async () => {
    const point = (await timeline(alice.api, featureBranchId)).find(
      (p) => p.bookmarkId === featureDataId,
    )!;
    // The share is a catalog-only edit: the mirror learns of it at once, not at its next round.
    await eventually(async () => {
      expect(await pointRecord(point.id)).toMatchObject({
        v: 1,
        type: 'bookmark',
        bookmark: {
          id: featureDataId,
          name: 'feature data',
          bugRef: 'BUG-17',
          creator: 'alice',
          visibility: 'users',
          sharedWith: ['bob'],
        },
      });
    }, 20_000);
    const container = (await inventory()).datasets.find((d) =>
      d.name.endsWith(`/containers/${qa.id}`),
    );
    expect(JSON.parse(container!.properties['catalog']!)).toMatchObject({
      name: 'qa-alice',
      owners: ['alice'],
    });
  });

  it('is for admins only, and names a bad flag', async () => {
    await alice.api.expect(403, 'POST', '/recovery', {});
    const bad = await (
      await adminApi()
    ).expect<{ message: string }>(400, 'POST', '/recovery', {
      dryRun: 'yes',
    });
    expect(JSON.stringify(bad.message)).toContain('dryRun');
  });

  it('drops the metadata database; the admin re-registers the host and recovers', async () => {
    await replaceDatabase();
    const admin = await adminApi();
    expect(await admin.expect<unknown[]>(200, 'GET', '/containers')).toEqual([]);
    await admin.expect(201, 'POST', '/hosts', {
      name: 'local',
      url: world.stack.agentUrl,
      token: world.stack.agentToken,
    });

    const dry = await admin.expect<RecoveryResult>(200, 'POST', '/recovery', { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.adopted.filter((a) => a.kind === 'container').map((a) => a.name)).toEqual([
      'qa-alice',
    ]);
    expect(dry.users.map((u) => [u.username, u.password])).toEqual([
      ['alice', null],
      ['bob', null],
    ]);
    expect(await admin.expect<unknown[]>(200, 'GET', '/containers')).toEqual([]);

    const result = await admin.expect<RecoveryResult>(200, 'POST', '/recovery', {});
    expect(result.skipped).toEqual([]);
    const adopted = (kind: string) =>
      result.adopted
        .filter((a) => a.kind === kind)
        .map((a) => a.name)
        .sort();
    expect(adopted('template')).toEqual([`app-backend-recovery`]);
    expect(adopted('container')).toEqual(['qa-alice']);
    expect(adopted('branch')).toEqual(['default', 'feature']);
    expect(adopted('bookmark')).toEqual(['before feature', 'feature data']);
    expect(result.adopted.every((a) => a.from === 'record')).toBe(true);

    // The users the records name are back, with passwords shown this once.
    const password = (username: string) => result.users.find((u) => u.username === username)!;
    const anonymous = new ApiClient(world.stack.apiUrl);
    alice = {
      id: password('alice').id,
      api: anonymous.as(await anonymous.login('alice', password('alice').password!)),
    };
    bob = {
      id: password('bob').id,
      api: anonymous.as(await anonymous.login('bob', password('bob').password!)),
    };

    // Adopted again, it adopts nothing more.
    const again = await admin.expect<RecoveryResult>(200, 'POST', '/recovery', {});
    expect(again.adopted).toEqual([]);
    expect(again.unchanged).toMatchObject({ container: 1, branch: 2, bookmark: 2 });
  });

  it('brings the container back with its name, owner, branches and the branch the host serves', async () => {
    const [listed] = await alice.api.expect<
      { id: string; name: string; owners: { username: string }[] }[]
    >(200, 'GET', '/containers');
    expect(listed).toMatchObject({ id: qa.id, name: 'qa-alice', owners: [{ username: 'alice' }] });
    qa = await getContainer(alice.api, qa.id);
    expect(qa.branches.map((b) => b.name).sort()).toEqual(['default', 'feature']);
    expect(qa.activeBranchId).toBe(featureBranchId);
    // What the API calls active is what the port serves: the feature branch's own row (new password).
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', 'Default Row', 'Feature Row']);
  });

  it('brings the bookmarks back with names, sharing and their holds', async () => {
    const mine = await alice.api.expect<{ id: string; name: string; sharedWith: string[] }[]>(
      200,
      'GET',
      '/bookmarks?scope=mine',
    );
    expect(mine.map((b) => b.name).sort()).toEqual(['before feature', 'feature data']);
    expect(mine.find((b) => b.id === featureDataId)!.sharedWith).toEqual([bob.id]);
    const shared = await bob.api.expect<{ id: string; bugRef: string }[]>(
      200,
      'GET',
      '/bookmarks?scope=shared',
    );
    expect(shared.map((b) => [b.id, b.bugRef])).toEqual([[featureDataId, 'BUG-17']]);
    const points = (await timeline(alice.api, defaultBranchId)).concat(
      await timeline(alice.api, featureBranchId),
    );
    const held = (await inventory()).datasets.filter((d) => d.userrefs > 0).map((d) => d.name);
    for (const bookmarkId of [beforeFeatureId, featureDataId]) {
      const point = points.find((p) => p.bookmarkId === bookmarkId)!;
      expect(held.some((name) => name.endsWith(`@${point.id}`))).toBe(true);
    }
  });

  it('restores a bookmark and takes a new one', async () => {
    await sql(qa, 'DELETE FROM employees');
    await alice.api.operate('POST', `/branches/${featureBranchId}/restore`, {
      bookmarkId: featureDataId,
    });
    expect(await names(qa)).toEqual(['Ada', 'Grace', 'Linus', 'Default Row', 'Feature Row']);
    const { job } = await alice.api.operate('POST', `/branches/${featureBranchId}/bookmarks`, {
      name: 'after recovery',
    });
    expect(job.state).toBe('succeeded');
  });
});

describe('recovery after restoring an older backup', () => {
  it('adopts the container made after the dump and leaves the rest as the dump says', async () => {
    const dump = join(dumpDir, 'catalog.dump');
    execFileSync(join(pgBin, 'pg_dump'), ['-Fc', '-f', dump, world.stack.databaseUrl]);

    const perf = await createContainer(bob.api, world.templateId, 'perf-bob');
    await sql(perf, "INSERT INTO employees (name, salary) VALUES ('Perf Row', 3)");
    // The job's success mirrors the new container's record onto the host.
    await eventually(async () => {
      const record = (await inventory()).datasets.find((d) =>
        d.name.endsWith(`/containers/${perf.id}`),
      )?.properties['catalog'];
      expect(record && JSON.parse(record)).toMatchObject({ name: 'perf-bob', owners: ['bob'] });
    }, 20_000);

    await replaceDatabase(async () => {
      execFileSync(join(pgBin, 'pg_restore'), ['-d', world.stack.databaseUrl, dump]);
    });
    const admin = await adminApi();
    expect(
      (await admin.expect<{ id: string }[]>(200, 'GET', '/containers')).map((c) => c.id),
    ).toEqual([qa.id]);

    const result = await admin.expect<RecoveryResult>(200, 'POST', '/recovery', {});
    expect(result.users).toEqual([]);
    expect(
      result.adopted.filter((a) => a.kind !== 'point').map((a) => [a.kind, a.id, a.name]),
    ).toEqual([
      ['container', perf.id, 'perf-bob'],
      ['branch', perf.activeBranchId, 'default'],
    ]);
    expect(result.unchanged).toMatchObject({ template: 1, container: 1, branch: 2 });

    const back = await getContainer(bob.api, perf.id);
    expect(back).toMatchObject({ name: 'perf-bob', activeBranchId: perf.activeBranchId });
    expect(await names(back)).toEqual(['Ada', 'Grace', 'Linus', 'Perf Row']);
    // The dump's own rows are as they were: qa keeps its name and its branch.
    expect(await getContainer(alice.api, qa.id)).toMatchObject({
      name: 'qa-alice',
      activeBranchId: featureBranchId,
    });
  });
});
