import type { AgentInventory, InventoryDataset, InventoryInstance } from '@branchpoint/contracts';

/**
 * What one agent's inventory says, arranged by the ZFS layout (docs/zfs-layout.md):
 * `<root>/templates/<t>[@<version>]` and `<root>/containers/<c>/<b>/<g>[@<point>]`, with the
 * `branchpoint:*` properties the agent keeps on them.
 */
export interface HostState {
  root: string;
  /** The agent's own identity (`branchpoint:agent-id`), when it reports one. */
  agentId: string | null;
  templates: Map<string, HostTemplate>;
  containers: Map<string, HostContainer>;
  /** Every filesystem and snapshot, for dependency checks (clones and holds). */
  datasets: InventoryDataset[];
  instances: InventoryInstance[];
}

export interface HostTemplate {
  id: string;
  dataset: string;
  usedBytes: number;
  createdAt: Date | null;
  /** `branchpoint:installation` of its top dataset: the control plane that made it (null: none). */
  installation: string | null;
  /** Snapshot names of `<root>/templates/<t>` (`v1`, `v2`, …). */
  versions: Set<string>;
}

export interface HostContainer {
  id: string;
  dataset: string;
  usedBytes: number;
  createdAt: Date | null;
  /** As HostTemplate.installation. */
  installation: string | null;
  activeBranch: string | null;
  /** `on` / `off`, or null when the property is absent. */
  servers: string | null;
  /** sourceId → { kind, port } from `branchpoint:sources`; null when the property is absent. */
  sources: Map<string, { kind: string; port: number | null }> | null;
  branches: Map<string, HostBranch>;
}

export interface HostBranch {
  id: string;
  dataset: string;
  createdAt: Date | null;
  /** Points of every generation of the branch, by point id. */
  points: Map<string, HostPoint>;
}

export interface HostPoint {
  id: string;
  snapshot: string;
  createdAt: Date | null;
  /** Hold tags from `branchpoint:holds`; null when the property is absent (then only `userrefs` tells). */
  holds: string[] | null;
  userrefs: number;
}

/** Arranges an inventory by template, container, branch and point. */
export function readHostState(inventory: AgentInventory): HostState {
  const state: HostState = {
    root: inventory.root,
    agentId: inventory.agentId ?? null,
    templates: new Map(),
    containers: new Map(),
    datasets: inventory.datasets,
    instances: inventory.instances,
  };
  const prefix = `${inventory.root}/`;
  const mine = inventory.datasets.filter((d) => d.name.startsWith(prefix));
  // Parents before children, whatever order the agent listed them in.
  const byDepth = [...mine].sort((a, b) => depth(a.name) - depth(b.name));
  for (const dataset of byDepth) {
    const [path = '', snapshot] = dataset.name.slice(prefix.length).split('@');
    const [group, id, branchId, generationId, ...rest] = path.split('/');
    if (!id) continue;
    if (group === 'templates') readTemplate(state, dataset, id, branchId, snapshot);
    else if (group === 'containers' && rest.length === 0)
      readContainer(state, dataset, id, branchId, generationId, snapshot);
  }
  return state;
}

function readTemplate(
  state: HostState,
  dataset: InventoryDataset,
  id: string,
  child: string | undefined,
  snapshot: string | undefined,
): void {
  if (child !== undefined) return;
  if (snapshot === undefined) {
    state.templates.set(id, {
      id,
      dataset: dataset.name,
      usedBytes: dataset.usedBytes,
      createdAt: createdAt(dataset),
      installation: dataset.properties['installation'] || null,
      versions: new Set(),
    });
  } else state.templates.get(id)?.versions.add(snapshot);
}

function readContainer(
  state: HostState,
  dataset: InventoryDataset,
  id: string,
  branchId: string | undefined,
  generationId: string | undefined,
  snapshot: string | undefined,
): void {
  const properties = dataset.properties;
  if (branchId === undefined) {
    if (snapshot !== undefined) return;
    state.containers.set(id, {
      id,
      dataset: dataset.name,
      usedBytes: dataset.usedBytes,
      createdAt: createdAt(dataset),
      installation: properties['installation'] || null,
      activeBranch: properties['active-branch'] || null,
      servers: properties['servers'] || null,
      sources: parseSources(properties['sources']),
      branches: new Map(),
    });
    return;
  }
  const container = state.containers.get(id);
  if (!container) return;
  if (generationId === undefined) {
    if (snapshot === undefined)
      container.branches.set(branchId, {
        id: branchId,
        dataset: dataset.name,
        createdAt: createdAt(dataset),
        points: new Map(),
      });
    return;
  }
  // `<c>/<b>/<g>@<point>`: the point's recursive snapshot (its sources' snapshots share the name).
  if (snapshot === undefined) return;
  const holds = properties['holds'];
  container.branches.get(branchId)?.points.set(snapshot, {
    id: snapshot,
    snapshot: dataset.name,
    createdAt: createdAt(dataset),
    holds: holds === undefined ? null : holds.split(',').filter(Boolean),
    userrefs: dataset.userrefs,
  });
}

/** The installation ids the host's containers and templates carry (none: made before ids). */
export function installationsOn(state: HostState): Set<string> {
  return new Set(
    [...state.containers.values(), ...state.templates.values()].flatMap((o) =>
      o.installation === null ? [] : [o.installation],
    ),
  );
}

/**
 * Leaves out of `state` the containers and templates of another installation than `ours`, and
 * returns them: nothing of theirs is compared, adopted or destroyed.
 */
export function withoutForeign(
  state: HostState,
  ours: string,
): { kind: 'container' | 'template'; id: string; installation: string }[] {
  const foreign: { kind: 'container' | 'template'; id: string; installation: string }[] = [];
  for (const [kind, map] of [
    ['template', state.templates],
    ['container', state.containers],
  ] as const) {
    for (const [id, item] of map) {
      if (item.installation === null || item.installation === ours) continue;
      foreign.push({ kind, id, installation: item.installation });
      map.delete(id);
    }
  }
  return foreign;
}

/** `branchpoint:sources`: `<sourceId>:<kind>:<port or ->`, comma-separated. */
export function parseSources(
  value: string | undefined,
): Map<string, { kind: string; port: number | null }> | null {
  if (value === undefined) return null;
  const sources = new Map<string, { kind: string; port: number | null }>();
  for (const entry of value.split(',').filter(Boolean)) {
    const [sourceId = '', kind = '', port = '-'] = entry.split(':');
    sources.set(sourceId, { kind, port: /^\d+$/.test(port) ? Number(port) : null });
  }
  return sources;
}

function createdAt(dataset: InventoryDataset): Date | null {
  const value = dataset.properties['created-at'];
  const date = value ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function depth(name: string): number {
  return name.split('/').length + (name.includes('@') ? 0.5 : 0);
}
