import type { AgentInventory, InventoryDataset, InventoryInstance } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import { compareHost, type HostCatalog } from './divergences.js';
import { readHostState } from './host-state.js';

const ROOT = 'tank/bp';
const NOW = new Date('2026-12-10T12:00:00Z');
const OLD = '2026-12-01T00:00:00.000Z';
const C = `${ROOT}/containers/c1`;

function ds(
  name: string,
  properties: Record<string, string> = {},
  extra: Partial<InventoryDataset> = {},
): InventoryDataset {
  return {
    name,
    type: name.includes('@') ? 'snapshot' : 'filesystem',
    origin: null,
    usedBytes: 100,
    referencedBytes: 50,
    userrefs: 0,
    properties: name.includes('@') ? properties : { 'created-at': OLD, ...properties },
    ...extra,
  };
}

function server(branchId: string, extra: Partial<InventoryInstance> = {}): InventoryInstance {
  return {
    containerId: 'c1',
    branchId,
    sourceId: 's1',
    port: 6001,
    pid: 42,
    running: true,
    ...extra,
  };
}

/** A host where container c1 serves branch b1 (points p1, p2 with p2 held by bookmark k1), template t1 has v1. */
function host(
  change: {
    datasets?: InventoryDataset[];
    container?: Record<string, string>;
    instances?: InventoryInstance[];
  } = {},
): AgentInventory {
  return {
    root: ROOT,
    datasets: [
      ds(ROOT),
      ds(`${ROOT}/templates/t1`, { kind: 'template' }),
      ds(`${ROOT}/templates/t1@v1`),
      ds(C, {
        kind: 'container',
        'active-branch': 'b1',
        servers: 'on',
        sources: 's1:postgres:6001,s2:directory:-',
        ...change.container,
      }),
      ds(`${C}/b1`, { kind: 'branch', generation: 'g1' }),
      ds(`${C}/b1/g1`, { kind: 'generation' }),
      ds(`${C}/b1/g1@p1`),
      ds(`${C}/b1/g1@p2`, {}, { userrefs: 1 }),
      ds(`${C}/b1/g1/s1@p2`, {}, { userrefs: 1 }),
      ds(`${C}/b2`, { kind: 'branch', generation: 'g2' }),
      ds(`${C}/b2/g2`, { kind: 'generation' }),
      ds(`${C}/b2/g2@p3`),
      ...(change.datasets ?? []),
    ],
    instances: change.instances ?? [server('b1')],
  };
}

function catalog(change: Partial<HostCatalog> = {}): HostCatalog {
  return {
    containers: [
      {
        id: 'c1',
        name: 'qa',
        state: 'ready',
        activeBranchId: 'b1',
        serving: 'running',
        endpoints: [
          { sourceId: 's1', source: 'app', host: 'h', port: 6001, database: 'app', username: 'u' },
        ],
      },
    ],
    branches: [
      { id: 'b1', containerId: 'c1', name: 'default', state: 'ready' },
      { id: 'b2', containerId: 'c1', name: 'feature', state: 'ready' },
    ],
    points: [
      { id: 'p1', branchId: 'b1', containerId: 'c1' },
      { id: 'p2', branchId: 'b1', containerId: 'c1' },
      { id: 'p3', branchId: 'b2', containerId: 'c1' },
    ],
    bookmarks: [{ id: 'k1', name: 'edge', containerId: 'c1', branchId: 'b1', pointId: 'p2' }],
    templates: [{ id: 't1', name: 'app' }],
    versions: [{ templateId: 't1', number: 1, state: 'ready' }],
    originBranches: [],
    busyContainerIds: new Set(),
    busyTemplateIds: new Set(),
    ...change,
  };
}

const compare = (inventory: AgentInventory, rows: HostCatalog = catalog()) =>
  compareHost(readHostState(inventory), rows, NOW);

const summary = (inventory: AgentInventory, rows?: HostCatalog) =>
  compare(inventory, rows).divergences.map((d) => `${d.kind}:${d.action}`);

describe('compareHost', () => {
  it('finds nothing when the catalog and the host agree', () => {
    expect(compare(host())).toEqual({ divergences: [], orphans: [], skipped: [] });
  });

  it("repairs the active branch from the host's property when the catalog knows that branch", () => {
    const result = compare(
      host({ container: { 'active-branch': 'b2' }, instances: [server('b2')] }),
    );
    expect(result.divergences).toEqual([
      {
        kind: 'active-branch',
        subject: { containerId: 'c1', containerName: 'qa' },
        catalog: 'default (b1)',
        host: 'feature (b2)',
        action: 'repaired',
        repair: { type: 'container', containerId: 'c1', changes: { activeBranchId: 'b2' } },
      },
    ]);
  });

  it('only reports an active branch the catalog does not know, and the server of the branch it holds active', () => {
    expect(
      summary(
        host({
          container: { 'active-branch': 'bx' },
          datasets: [ds(`${C}/bx`, { kind: 'branch' })],
          instances: [server('bx')],
        }),
      ),
    ).toEqual([
      'active-branch:reported',
      'server-unexpected:reported',
      'server-missing:reported',
      'branch-unknown:reported',
    ]);
  });

  it('takes serving from the servers property: off → stopped (idle stays idle), on and running → running', () => {
    const off = compare(host({ container: { servers: 'off' }, instances: [] }));
    expect(off.divergences).toMatchObject([
      { kind: 'serving', action: 'repaired', repair: { changes: { serving: 'stopped' } } },
    ]);
    const idle = catalog();
    idle.containers[0]!.serving = 'idle';
    expect(
      compare(host({ container: { servers: 'off' }, instances: [] }), idle).divergences,
    ).toEqual([]);
    const stopped = catalog();
    stopped.containers[0]!.serving = 'stopped';
    expect(compare(host(), stopped).divergences).toMatchObject([
      { kind: 'serving', action: 'repaired', repair: { changes: { serving: 'running' } } },
    ]);
  });

  it('reports a server that runs while the container is stopped, and one missing while it serves', () => {
    expect(summary(host({ container: { servers: 'off' } }))).toEqual([
      'serving:repaired',
      'server-unexpected:reported',
    ]);
    expect(summary(host({ instances: [server('b1', { running: false })] }))).toEqual([
      'server-missing:reported',
    ]);
    expect(summary(host({ instances: [server('b1'), server('b2', { port: 6002 })] }))).toEqual([
      'server-unexpected:reported',
    ]);
  });

  it("repairs endpoint ports from the container's sources property", () => {
    const result = compare(host({ container: { sources: 's1:postgres:6009' } }));
    expect(result.divergences).toMatchObject([
      {
        kind: 'port',
        catalog: 'app: port 6001',
        host: 'port 6009',
        action: 'repaired',
        repair: { changes: { endpoints: [{ sourceId: 's1', port: 6009 }] } },
      },
    ]);
  });

  it('reports missing and unknown branches and points', () => {
    const rows = catalog({
      branches: [
        ...catalog().branches,
        { id: 'b3', containerId: 'c1', name: 'gone', state: 'ready' },
        { id: 'b4', containerId: 'c1', name: 'in-creation', state: 'creating' },
      ],
      points: [...catalog().points, { id: 'p9', branchId: 'b2', containerId: 'c1' }],
    });
    const inventory = host({
      datasets: [ds(`${C}/b2/g2@p8`), ds(`${C}/b5`, { kind: 'branch' })],
    });
    expect(summary(inventory, rows)).toEqual([
      'point-missing:reported',
      'point-unknown:reported',
      'branch-missing:reported',
      'branch-unknown:reported',
    ]);
  });

  it('holds a bookmark point again that lost its hold, and reports holds no bookmark explains', () => {
    const released = host();
    released.datasets = released.datasets.map((d) => ({ ...d, userrefs: 0 }));
    expect(compare(released).divergences).toMatchObject([
      {
        kind: 'hold-missing',
        subject: { bookmarkId: 'k1', pointId: 'p2' },
        action: 'repaired',
        repair: {
          type: 'hold',
          holdTag: 'k1',
          request: { containerId: 'c1', branchId: 'b1', pointId: 'p2' },
        },
      },
    ]);
    const strange = host({ datasets: [ds(`${C}/b2/g2@p3`, {}, { userrefs: 1 })] });
    expect(summary(strange)).toEqual(['hold-unknown:reported']);
  });

  it('reads hold tags from the holds property when the agent sets it', () => {
    const tagged = host({
      datasets: [ds(`${C}/b1/g1@p2`, { holds: 'other' }, { userrefs: 1 })],
    });
    expect(compare(tagged).divergences).toMatchObject([
      { kind: 'hold-missing', host: 'holds: other', action: 'repaired' },
      { kind: 'hold-unknown', host: 'holds: other', action: 'reported' },
    ]);
  });

  it('skips containers and templates with a job, and reports unknown young datasets as pending', () => {
    const busy = catalog({ busyContainerIds: new Set(['c1']), busyTemplateIds: new Set(['t1']) });
    const result = compare(host({ container: { 'active-branch': 'b2' } }), busy);
    expect(result.divergences).toEqual([]);
    expect(result.skipped).toEqual([
      { kind: 'template', id: 't1', name: 'app', reason: 'busy' },
      { kind: 'container', id: 'c1', name: 'qa', reason: 'busy' },
    ]);
    const young = new Date(NOW.getTime() - 10_000).toISOString();
    const fresh = host({ datasets: [ds(`${C}/b7`, { kind: 'branch', 'created-at': young })] });
    expect(summary(fresh)).toEqual(['branch-unknown:pending']);
  });

  it('lists orphans with their bytes and dependents, never more than a report', () => {
    const orphan = `${ROOT}/containers/c9`;
    const inventory = host({
      datasets: [
        ds(orphan, { kind: 'container' }, { usedBytes: 4096 }),
        ds(`${orphan}/b9`, { kind: 'branch' }),
        ds(`${orphan}/b9/g9`),
        ds(`${orphan}/b9/g9@p9`, {}, { userrefs: 1 }),
        ds(`${orphan}/b9/g9/s1@p9`, {}, { userrefs: 1 }),
        ds(`${C}/b8`, { kind: 'branch' }, { origin: `${orphan}/b9/g9/s1@p9` }),
        ds(`${ROOT}/templates/t9`, { kind: 'template', 'created-at': NOW.toISOString() }),
      ],
      instances: [server('b1'), server('b9', { containerId: 'c9', port: 6100 })],
    });
    const rows = catalog({
      originBranches: [{ id: 'b8', name: 'from-c9', containerId: 'c1', originContainerId: 'c9' }],
      branches: [
        ...catalog().branches,
        { id: 'b8', containerId: 'c1', name: 'from-c9', state: 'creating' },
      ],
    });
    const result = compare(inventory, rows);
    expect(result.orphans).toEqual([
      expect.objectContaining({ key: 'template:t9', bytes: 100, dependents: [], pending: true }),
      {
        key: 'container:c9',
        kind: 'container',
        id: 'c9',
        dataset: orphan,
        bytes: 4096,
        createdAt: new Date(OLD),
        dependents: [
          `clone ${C}/b8 of ${orphan}/b9/g9/s1@p9`,
          `hold on ${orphan}/b9/g9@p9`,
          'branch from-c9 (b8) of container c1',
        ],
        pending: false,
      },
    ]);
    expect(result.divergences.map((d) => `${d.kind}:${d.action}`)).toEqual([
      'orphan:pending',
      'orphan:reported',
      'server-unexpected:reported',
    ]);
    expect(result.divergences.some((d) => 'repair' in d)).toBe(false);
    const deleting = catalog({ ...rows, busyContainerIds: new Set(['c9']) });
    expect(compare(inventory, deleting).orphans[1]).toMatchObject({
      key: 'container:c9',
      pending: true,
    });
  });

  it('reports a ready container, template or version the host lacks', () => {
    const empty: AgentInventory = { root: ROOT, datasets: [ds(ROOT)], instances: [] };
    expect(summary(empty)).toEqual(['template-missing:reported', 'container-missing:reported']);
    const rows = catalog({
      versions: [
        { templateId: 't1', number: 1, state: 'ready' },
        { templateId: 't1', number: 2, state: 'ready' },
      ],
    });
    expect(summary(host({ datasets: [ds(`${ROOT}/templates/t1@v7`)] }), rows)).toEqual([
      'version-missing:reported',
      'version-unknown:reported',
    ]);
  });
});
