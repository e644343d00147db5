import type { AgentInventory, InventoryDataset } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import { readHostState } from '../reconciliation/host-state.js';
import { planAdoption, type ExistingCatalog, type RecoveryHost } from './adoption-plan.js';

const ROOT = 'tank/bp';
const T = `${ROOT}/templates/t1`;
const C = `${ROOT}/containers/c1`;
const NOW = new Date('2026-12-04T12:00:00.000Z');
const CREATED = '2026-12-01T09:00:00.000Z';
// Hold tags are bookmark ids: UUIDs.
const K1 = '11111111-1111-4111-8111-111111111111';
const K2 = '22222222-2222-4222-8222-222222222222';

function ds(
  name: string,
  properties: Record<string, string> = {},
  record?: object,
): InventoryDataset {
  return {
    name,
    type: name.includes('@') ? 'snapshot' : 'filesystem',
    origin: null,
    usedBytes: 0,
    referencedBytes: 0,
    userrefs: properties['holds'] ? 1 : 0,
    properties: {
      ...(name.includes('@') ? {} : { 'created-at': CREATED }),
      ...properties,
      ...(record ? { catalog: JSON.stringify({ v: 1, ...record }) } : {}),
    },
  };
}

const records = {
  template: {
    name: 'shop',
    creator: 'admin',
    sources: [{ id: 's1', name: 'app-db', kind: 'postgres', url: 'postgres://app@db/shop' }],
    keepRoles: ['reporting'],
  },
  version: { version: 'v1', createdAt: '2026-11-30T08:00:00.000Z' },
  container: { name: 'qa', templateId: 't1', owners: ['alice'], protected: true },
  b1: { name: 'default', createdBy: 'alice', templateVersion: 'v1' },
  b2: {
    name: 'bug-4711',
    createdBy: 'alice',
    templateVersion: 'v1',
    originPointId: 'p1',
    originContainerId: 'c1',
    originBookmarkId: K1,
  },
  p1: {
    type: 'bookmark',
    createdAt: '2026-12-01T10:00:00.000Z',
    templateVersion: 'v1',
    bookmark: {
      id: K1,
      name: 'edge cases',
      tags: ['qa'],
      creator: 'alice',
      visibility: 'users',
      sharedWith: ['bob'],
    },
  },
  p2: { type: 'created', createdAt: '2026-12-01T11:00:00.000Z', templateVersion: 'v1' },
};

/** Template t1 (v1), container c1 serving b2; b1 has bookmark k1 on p1, b2 was branched from p1. */
function inventory(withRecords: boolean, extra: InventoryDataset[] = []): AgentInventory {
  const r = <K extends keyof typeof records>(key: K) => (withRecords ? records[key] : undefined);
  return {
    root: ROOT,
    datasets: [
      ds(T, { kind: 'template' }, r('template')),
      ds(`${T}@v1`, {}, r('version')),
      ds(`${T}/s1`, { kind: 'template-source', 'ingest-role': 'app', database: 'shop' }),
      ds(C, { kind: 'container', 'active-branch': 'b2', servers: 'on' }, r('container')),
      ds(`${C}/b1`, { kind: 'branch', generation: 'g0', origin: `${T}@v1` }, r('b1')),
      ds(`${C}/b1/g0`, { kind: 'generation', origin: `${T}@v1` }),
      ds(`${C}/b1/g0@p1`, { holds: K1 }, r('p1')),
      ds(`${C}/b2`, { kind: 'branch', generation: 'g0', origin: `${C}/b1/g0@p1` }, r('b2')),
      ds(`${C}/b2/g0`, { kind: 'generation', origin: `${C}/b1/g0@p1` }),
      ds(`${C}/b2/g0@p2`, {}, r('p2')),
      ...extra,
    ],
    instances: [],
  };
}

const EMPTY: ExistingCatalog = {
  templates: [],
  versions: [],
  containers: [],
  branches: [],
  points: [],
  bookmarks: [],
  users: [{ id: 'admin-id', username: 'admin' }],
};

function plan(inv: AgentInventory, catalog: ExistingCatalog = EMPTY) {
  let n = 0;
  const hosts: RecoveryHost[] = [{ id: 'h1', name: 'zfs-1', state: readHostState(inv) }];
  return planAdoption(hosts, catalog, {
    adminId: 'admin-id',
    now: NOW,
    newId: () => `new-${++n}`,
  });
}

describe('planAdoption from catalog records', () => {
  const out = plan(inventory(true));

  it('adopts every object with the names, owners and sharing its record gives', () => {
    expect(out.templates).toEqual([
      expect.objectContaining({
        id: 't1',
        name: 'shop',
        hostId: 'h1',
        createdById: 'admin-id',
        keepRoles: ['reporting'],
      }),
    ]);
    expect(out.sources).toEqual([
      expect.objectContaining({
        id: 's1',
        name: 'app-db',
        connectionString: 'postgres://app@db/shop',
      }),
    ]);
    expect(out.versions).toEqual([
      expect.objectContaining({
        templateId: 't1',
        number: 1,
        state: 'ready',
        createdAt: new Date('2026-11-30T08:00:00.000Z'),
      }),
    ]);
    const alice = out.users.find((u) => u.username === 'alice')!.id;
    const bob = out.users.find((u) => u.username === 'bob')!.id;
    expect(out.users.map((u) => u.username).sort()).toEqual(['alice', 'bob']);
    expect(out.containers).toEqual([
      expect.objectContaining({
        id: 'c1',
        name: 'qa',
        templateId: 't1',
        hostId: 'h1',
        ownerIds: [alice],
        activeBranchId: 'b2',
        state: 'ready',
        serving: 'running',
        protected: true,
      }),
    ]);
    expect(out.branches.map((b) => [b.id, b.name, b.createdById])).toEqual([
      ['b1', 'default', alice],
      ['b2', 'bug-4711', alice],
    ]);
    expect(out.branches[1]).toMatchObject({
      originPointId: 'p1',
      originContainerId: 'c1',
      originBookmarkId: K1,
    });
    expect(out.points.map((p) => [p.id, p.branchId, p.type, p.bookmarkId])).toEqual([
      ['p1', 'b1', 'bookmark', K1],
      ['p2', 'b2', 'created', null],
    ]);
    expect(out.bookmarks).toEqual([
      expect.objectContaining({
        id: K1,
        containerId: 'c1',
        branchId: 'b1',
        pointId: 'p1',
        name: 'edge cases',
        tags: ['qa'],
        creatorId: alice,
        visibility: 'users',
        sharedWith: [bob],
      }),
    ]);
    expect(out.holds).toEqual([
      { hostId: 'h1', holdTag: K1, request: { containerId: 'c1', branchId: 'b1', pointId: 'p1' } },
    ]);
    expect(out.adopted.every((a) => a.from === 'record')).toBe(true);
    expect(out.skipped).toEqual([]);
  });
});

describe('planAdoption from structure alone', () => {
  const out = plan(inventory(false));

  it('gives generated names, owned by the admin, and follows origins to the template', () => {
    expect(out.users).toEqual([]);
    expect(out.templates[0]).toMatchObject({ name: 'recovered-t1', createdById: 'admin-id' });
    expect(out.sources[0]).toMatchObject({
      id: 's1',
      name: 'source-s1',
      connectionString: 'postgres://app@unknown/shop',
    });
    expect(out.containers[0]).toMatchObject({
      name: 'recovered-c1',
      templateId: 't1',
      ownerIds: ['admin-id'],
      activeBranchId: 'b2',
    });
    expect(out.branches.map((b) => [b.name, b.templateVersion, b.originPointId])).toEqual([
      ['recovered-b1', 'v1', null],
      ['recovered-b2', 'v1', 'p1'],
    ]);
    expect(out.branches[1]!.originBookmarkId).toBe(K1);
  });

  it('adopts a held point as a private bookmark named after its hold', () => {
    expect(out.points.find((p) => p.id === 'p1')).toMatchObject({
      type: 'bookmark',
      bookmarkId: K1,
    });
    expect(out.bookmarks).toEqual([
      expect.objectContaining({
        id: K1,
        name: `recovered-${K1.slice(0, 8)}`,
        creatorId: 'admin-id',
        visibility: 'private',
        sharedWith: [],
      }),
    ]);
    expect(out.adopted.every((a) => a.from === 'properties')).toBe(true);
  });
});

describe('planAdoption next to an older catalog', () => {
  it('keeps what the catalog has and adds only what is newer', () => {
    const newer = [
      ds(
        `${ROOT}/containers/c2`,
        { kind: 'container', 'active-branch': 'b3' },
        {
          name: 'perf',
          templateId: 't1',
          owners: ['bob'],
        },
      ),
      ds(`${ROOT}/containers/c2/b3`, { kind: 'branch', generation: 'g0', origin: `${T}@v1` }),
      ds(`${ROOT}/containers/c2/b3/g0`, { kind: 'generation', origin: `${T}@v1` }),
      ds(`${ROOT}/containers/c2/b3/g0@p9`),
      // A bookmark made on c1 after the backup.
      ds(
        `${C}/b1/g0@p3`,
        { holds: K2 },
        {
          type: 'bookmark',
          createdAt: '2026-12-02T10:00:00.000Z',
          templateVersion: 'v1',
          bookmark: { id: K2, name: 'later', creator: 'alice', visibility: 'private' },
        },
      ),
    ];
    const older: ExistingCatalog = {
      templates: [{ id: 't1', name: 'shop' }],
      versions: [{ templateId: 't1', number: 1 }],
      containers: [{ id: 'c1', templateId: 't1' }],
      branches: [
        { id: 'b1', containerId: 'c1', name: 'default', templateVersion: 'v1' },
        { id: 'b2', containerId: 'c1', name: 'bug-4711', templateVersion: 'v1' },
      ],
      points: [
        { id: 'p1', templateVersion: 'v1' },
        { id: 'p2', templateVersion: 'v1' },
      ],
      bookmarks: [{ id: K1 }],
      users: [
        { id: 'admin-id', username: 'admin' },
        { id: 'alice-id', username: 'alice' },
        { id: 'bob-id', username: 'bob' },
      ],
    };
    const out = plan(inventory(true, newer), older);
    expect(out.templates).toEqual([]);
    expect(out.versions).toEqual([]);
    expect(out.users).toEqual([]);
    expect(out.containers.map((c) => [c.id, c.name, c.ownerIds])).toEqual([
      ['c2', 'perf', ['bob-id']],
    ]);
    expect(out.branches.map((b) => [b.id, b.name])).toEqual([['b3', 'recovered-b3']]);
    expect(out.points.map((p) => p.id).sort()).toEqual(['p3', 'p9']);
    expect(out.bookmarks.map((b) => [b.id, b.name, b.creatorId])).toEqual([
      [K2, 'later', 'alice-id'],
    ]);
    expect(out.unchanged).toEqual({
      template: 1,
      version: 1,
      container: 1,
      branch: 2,
      point: 2,
      bookmark: 1,
    });
  });
});

describe('planAdoption skips', () => {
  it('a bookmark whose hold is gone, a half-created branch, a container of an unknown template', () => {
    const inv = inventory(true, [
      ds(`${C}/b5`, { kind: 'branch' }),
      ds(`${ROOT}/containers/c7`, { kind: 'container' }),
      ds(`${ROOT}/containers/c7/b7`, {
        kind: 'branch',
        generation: 'g0',
        origin: `${ROOT}/templates/t9@v1`,
      }),
    ]);
    // The bookmark was deleted after the last mirror: its hold is gone, its record not yet.
    inv.datasets = inv.datasets.map((d) =>
      d.name === `${C}/b1/g0@p1` ? { ...d, properties: { ...d.properties, holds: '' } } : d,
    );
    const out = plan(inv);
    expect(out.bookmarks).toEqual([]);
    // A tag left behind by a release that was interrupted: the snapshot is not held.
    const released = inventory(true);
    released.datasets = released.datasets.map((d) =>
      d.name === `${C}/b1/g0@p1` ? { ...d, userrefs: 0 } : d,
    );
    expect(plan(released).bookmarks).toEqual([]);
    expect(plan(released).skipped.map((s) => s.kind)).toEqual(['bookmark']);
    expect(out.points.find((p) => p.id === 'p1')?.bookmarkId).toBeNull();
    expect(out.skipped.map((s) => [s.kind, s.id, s.reason])).toEqual([
      ['branch', 'b5', 'no current generation (its creation was interrupted)'],
      ['bookmark', K1, 'its hold is gone from point p1 (the bookmark was deleted)'],
      ['container', 'c7', 'its template t9 is neither in the catalog nor on a host'],
    ]);
  });
});
