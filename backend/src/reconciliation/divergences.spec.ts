import type { AgentInventory, InventoryDataset, InventoryInstance } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import { compareHost, confirmedProblems, type HostCatalog, type Orphan } from './divergences.js';
import { readHostState } from './host-state.js';

const ROOT = 'tank/bp';
const NOW = new Date('2026-12-10T12:00:00Z');
const OLD = '2026-12-01T00:00:00.000Z';
const C = `${ROOT}/containers/c1`;
/** This control plane's installation id, and another's. */
const OURS = 'inst-ours';
const THEIRS = 'inst-theirs';

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
      ds(`${ROOT}/templates/t1`, { kind: 'template', installation: OURS }),
      ds(`${ROOT}/templates/t1@v1`),
      ds(C, {
        kind: 'container',
        installation: OURS,
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
    installationId: OURS,
    elsewhere: new Map(),
    traced: new Set(['c9', 't9']),
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
      expect.objectContaining({
        key: 'template:t9',
        bytes: 100,
        dependents: [],
        pending: true,
        verdict: 'pending',
      }),
      {
        key: 'container:c9',
        kind: 'container',
        id: 'c9',
        dataset: orphan,
        datasets: [orphan, `${orphan}/b9`, `${orphan}/b9/g9`],
        snapshots: 2,
        bytes: 4096,
        createdAt: new Date(OLD),
        installation: null,
        dependents: [
          `clone ${C}/b8 of ${orphan}/b9/g9/s1@p9`,
          `hold on ${orphan}/b9/g9@p9`,
          'branch from-c9 (b8) of container c1',
        ],
        pending: false,
        verdict: 'has-dependents',
        reason: expect.stringContaining('depended on: clone'),
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
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

  describe('installations', () => {
    const orphanOf = (
      properties: Record<string, string>,
      rows: Partial<HostCatalog> = {},
      extra: InventoryDataset[] = [],
    ) => {
      const top = `${ROOT}/containers/c9`;
      const result = compare(
        host({ datasets: [ds(top, { kind: 'container', ...properties }), ...extra] }),
        catalog(rows),
      );
      return { result, orphan: result.orphans.find((o) => o.key === 'container:c9')! };
    };

    it('offers for destruction only an orphan of this installation (or unmarked) that the catalog once knew', () => {
      expect(orphanOf({ installation: OURS }).orphan).toMatchObject({
        verdict: 'destroyable',
        installation: OURS,
      });
      expect(orphanOf({}).orphan).toMatchObject({ verdict: 'destroyable', installation: null });
    });

    it("reports another installation's datasets as foreign, never destroyable, and leaves them alone", () => {
      const { result, orphan } = orphanOf({ installation: THEIRS });
      expect(orphan).toMatchObject({
        verdict: 'foreign',
        installation: THEIRS,
        reason: expect.stringContaining(`installation ${THEIRS}`),
      });
      expect(result.divergences).toEqual([
        expect.objectContaining({ kind: 'foreign', action: 'reported' }),
      ]);
      expect(result.divergences.some((d) => 'repair' in d)).toBe(false);
      // One the catalog knows but that carries another id: reported, not compared, not repaired.
      const known = compare(
        host({ container: { installation: THEIRS, 'active-branch': 'b2' } }),
        catalog(),
      );
      expect(known.divergences).toEqual([
        expect.objectContaining({
          kind: 'foreign',
          subject: expect.objectContaining({ containerId: 'c1' }),
          host: `installation ${THEIRS}`,
        }),
      ]);
    });

    it('reports an orphan the catalog has no trace of as unknown to the catalog (newer than the metadata?)', () => {
      const newer = orphanOf({ installation: OURS }, { traced: new Set() }).orphan;
      expect(newer).toMatchObject({ verdict: 'unknown-to-catalog' });
      expect(newer.reason).toMatch(/newer than the metadata.*POST \/recovery adopts it/);
      const unmarked = orphanOf({}, { traced: new Set() }).orphan;
      expect(unmarked).toMatchObject({ verdict: 'unknown-to-catalog' });
      expect(unmarked.reason).toMatch(/no installation id/);
    });

    it('names the host the catalog has a dataset on when another host holds it too', () => {
      const { orphan } = orphanOf(
        { installation: OURS },
        { elsewhere: new Map([['c9', 'second']]) },
      );
      expect(orphan).toMatchObject({ verdict: 'known-elsewhere' });
      expect(orphan.reason).toContain('host second');
    });

    it('claims a dataset the catalog knows that carries no installation id', () => {
      const result = compare(
        host({
          container: { installation: '' },
          datasets: [ds(`${ROOT}/templates/t1`, { kind: 'template' })],
        }),
      );
      expect(result.divergences).toEqual([
        expect.objectContaining({
          kind: 'installation-missing',
          action: 'repaired',
          repair: { type: 'claim', kind: 'template', id: 't1' },
        }),
        expect.objectContaining({
          kind: 'installation-missing',
          action: 'repaired',
          repair: { type: 'claim', kind: 'container', id: 'c1' },
        }),
      ]);
    });

    it('changes the fingerprint when anything in the tree changes', () => {
      const before = orphanOf({ installation: OURS }).orphan.fingerprint;
      expect(orphanOf({ installation: OURS }).orphan.fingerprint).toBe(before);
      const snapshot = ds(`${ROOT}/containers/c9@later`);
      expect(orphanOf({ installation: OURS }, {}, [snapshot]).orphan.fingerprint).not.toBe(before);
    });
  });
});

describe('confirmedProblems', () => {
  const orphan = (key: string, change: Partial<Orphan> = {}): [string, Orphan] => [
    key,
    {
      key,
      kind: 'container',
      id: key.split(':')[1]!,
      dataset: `${ROOT}/containers/${key.split(':')[1]}`,
      datasets: [],
      snapshots: 0,
      bytes: 1,
      createdAt: null,
      installation: OURS,
      dependents: [],
      pending: false,
      verdict: 'destroyable',
      reason: 'the catalog once knew it',
      fingerprint: 'aaaaaaaaaaaaaaaa',
      ...change,
    },
  ];
  const listed = new Map([
    orphan('container:ok'),
    orphan('container:theirs', { verdict: 'foreign', reason: `belongs to installation ${THEIRS}` }),
  ]);

  it('accepts exactly the destroyable orphans as previewed', () => {
    expect(
      confirmedProblems('h1', listed, [{ key: 'container:ok', fingerprint: 'aaaaaaaaaaaaaaaa' }]),
    ).toEqual([]);
  });

  it('names every item that is no orphan, not destroyable, changed or listed twice', () => {
    expect(
      confirmedProblems('h1', listed, [
        { key: 'container:ok', fingerprint: 'bbbbbbbbbbbbbbbb' },
        { key: 'container:theirs', fingerprint: 'aaaaaaaaaaaaaaaa' },
        { key: 'container:known', fingerprint: 'aaaaaaaaaaaaaaaa' },
        { key: 'container:known', fingerprint: 'aaaaaaaaaaaaaaaa' },
      ]),
    ).toEqual([
      'container:ok changed since the preview (fingerprint bbbbbbbbbbbbbbbb, now aaaaaaaaaaaaaaaa): preview it again',
      `container:theirs is not destroyable (foreign): belongs to installation ${THEIRS}`,
      'container:known is not an orphan on host h1 (the catalog knows it, or it is gone)',
      'container:known is listed twice',
    ]);
  });
});
