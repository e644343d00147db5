import type { HoldRequest } from '@branchpoint/contracts';
import type { ContainerServing, StoredEndpoint } from '../database/entities/container.entity.js';
import type { HostContainer, HostState } from './host-state.js';

/**
 * The comparison of one host's inventory with the catalog, as a pure function: divergences,
 * the repairs the host's ZFS properties prove, and the orphans an admin may destroy.
 */

export const DIVERGENCE_KINDS = [
  'container-missing',
  'template-missing',
  'orphan',
  'active-branch',
  'serving',
  'port',
  'branch-missing',
  'branch-unknown',
  'point-missing',
  'point-unknown',
  'hold-missing',
  'hold-unknown',
  'version-missing',
  'version-unknown',
  'server-unexpected',
  'server-missing',
] as const;

export type DivergenceKind = (typeof DIVERGENCE_KINDS)[number];

/** `pending`: an unknown dataset younger than PENDING_MS, which a job may be creating right now. */
export type DivergenceAction = 'repaired' | 'reported' | 'pending';

export interface DivergenceSubject {
  containerId?: string;
  containerName?: string;
  branchId?: string;
  branchName?: string;
  pointId?: string;
  bookmarkId?: string;
  bookmarkName?: string;
  templateId?: string;
  templateName?: string;
  sourceId?: string;
  dataset?: string;
}

export interface Divergence {
  kind: DivergenceKind;
  subject: DivergenceSubject;
  /** What the catalog says (null: nothing). */
  catalog: string | null;
  /** What the host says (null: nothing). */
  host: string | null;
  action: DivergenceAction;
  /** Why a repair failed (the divergence is then `reported`). */
  error?: string;
}

export type Repair =
  | {
      type: 'container';
      containerId: string;
      changes: {
        activeBranchId?: string;
        serving?: ContainerServing;
        endpoints?: StoredEndpoint[];
      };
    }
  | { type: 'hold'; holdTag: string; request: HoldRequest };

/** A divergence and, for `repaired` ones, the repair to apply. */
export interface PlannedDivergence extends Divergence {
  repair?: Repair;
}

export interface Orphan {
  /** `container:<id>` or `template:<id>`. */
  key: string;
  kind: 'container' | 'template';
  id: string;
  dataset: string;
  bytes: number;
  createdAt: Date | null;
  /** What would keep the destroy from going through (clones outside it, holds, catalog branches). */
  dependents: string[];
  /** Younger than PENDING_MS: not offered for destruction yet. */
  pending: boolean;
}

export interface Skipped {
  kind: 'container' | 'template';
  id: string;
  name: string;
  reason: 'busy';
}

/** The catalog rows of one host that reconciliation compares. */
export interface HostCatalog {
  containers: {
    id: string;
    name: string;
    state: string;
    activeBranchId: string | null;
    serving: ContainerServing;
    endpoints: StoredEndpoint[];
  }[];
  branches: { id: string; containerId: string; name: string; state: string }[];
  points: { id: string; branchId: string; containerId: string }[];
  bookmarks: { id: string; name: string; containerId: string; branchId: string; pointId: string }[];
  templates: { id: string; name: string }[];
  versions: { templateId: string; number: number; state: string }[];
  /** Branches (anywhere) cloned from a container of this host: they depend on its data. */
  originBranches: { id: string; name: string; containerId: string; originContainerId: string }[];
  /** Containers and templates with a queued or running job: left alone this cycle. */
  busyContainerIds: ReadonlySet<string>;
  busyTemplateIds: ReadonlySet<string>;
}

export interface HostComparison {
  divergences: PlannedDivergence[];
  orphans: Orphan[];
  skipped: Skipped[];
}

/** Unknown datasets younger than this may be in creation: reported as pending. */
export const PENDING_MS = 60_000;

/** Compares one host's state with its catalog rows at `now`. */
export function compareHost(host: HostState, catalog: HostCatalog, now: Date): HostComparison {
  const out: HostComparison = { divergences: [], orphans: [], skipped: [] };
  const pending = (createdAt: Date | null) =>
    createdAt !== null && now.getTime() - createdAt.getTime() < PENDING_MS;
  const unknown = (createdAt: Date | null): DivergenceAction =>
    pending(createdAt) ? 'pending' : 'reported';

  for (const template of catalog.templates) {
    if (catalog.busyTemplateIds.has(template.id)) {
      out.skipped.push({ kind: 'template', ...template, reason: 'busy' });
      continue;
    }
    compareTemplate(host, catalog, template, out);
  }
  for (const container of catalog.containers) {
    if (catalog.busyContainerIds.has(container.id)) {
      out.skipped.push({
        kind: 'container',
        id: container.id,
        name: container.name,
        reason: 'busy',
      });
      continue;
    }
    const onHost = host.containers.get(container.id);
    if (!onHost) {
      if (container.state === 'ready')
        out.divergences.push({
          kind: 'container-missing',
          subject: { containerId: container.id, containerName: container.name },
          catalog: 'ready',
          host: null,
          action: 'reported',
        });
      continue;
    }
    if (container.state === 'ready') compareContainer(host, catalog, container, onHost, now, out);
  }

  const knownContainers = new Set(catalog.containers.map((c) => c.id));
  const knownTemplates = new Set(catalog.templates.map((t) => t.id));
  const orphanDatasets = [
    ...[...host.templates.values()]
      .filter((t) => !knownTemplates.has(t.id))
      .map((t) => ({ kind: 'template' as const, ...t })),
    ...[...host.containers.values()]
      .filter((c) => !knownContainers.has(c.id))
      .map((c) => ({ kind: 'container' as const, ...c })),
  ];
  for (const item of orphanDatasets) {
    const key = `${item.kind}:${item.id}`;
    // A job may be deleting (or creating) it right now: as good as young.
    const busy = (
      item.kind === 'container' ? catalog.busyContainerIds : catalog.busyTemplateIds
    ).has(item.id);
    const catalogDependents = catalog.originBranches
      .filter((b) => item.kind === 'container' && b.originContainerId === item.id)
      .map((b) => `branch ${b.name} (${b.id}) of container ${b.containerId}`);
    const orphan: Orphan = {
      key,
      kind: item.kind,
      id: item.id,
      dataset: item.dataset,
      bytes: item.usedBytes,
      createdAt: item.createdAt,
      dependents: [...hostDependents(host, item.dataset), ...catalogDependents],
      pending: busy || pending(item.createdAt),
    };
    out.orphans.push(orphan);
    out.divergences.push({
      kind: 'orphan',
      subject: {
        [item.kind === 'container' ? 'containerId' : 'templateId']: item.id,
        dataset: item.dataset,
      },
      catalog: null,
      host: `${item.kind} ${item.id} (${item.usedBytes} bytes)`,
      action: orphan.pending ? 'pending' : 'reported',
    });
  }

  // Servers of containers the catalog does not know (busy ones are left alone).
  for (const instance of host.instances) {
    if (!instance.running || knownContainers.has(instance.containerId)) continue;
    out.divergences.push({
      kind: 'server-unexpected',
      subject: {
        containerId: instance.containerId,
        branchId: instance.branchId,
        sourceId: instance.sourceId,
      },
      catalog: null,
      host: `running on port ${instance.port}`,
      action: unknown(host.containers.get(instance.containerId)?.createdAt ?? null),
    });
  }
  return out;
}

function compareTemplate(
  host: HostState,
  catalog: HostCatalog,
  template: { id: string; name: string },
  out: HostComparison,
): void {
  const subject = { templateId: template.id, templateName: template.name };
  const onHost = host.templates.get(template.id);
  const versions = catalog.versions.filter((v) => v.templateId === template.id);
  const ready = versions.filter((v) => v.state === 'ready');
  if (!onHost) {
    if (ready.length > 0)
      out.divergences.push({
        kind: 'template-missing',
        subject,
        catalog: `versions ${ready.map((v) => `v${v.number}`).join(', ')}`,
        host: null,
        action: 'reported',
      });
    return;
  }
  for (const version of ready) {
    if (onHost.versions.has(`v${version.number}`)) continue;
    out.divergences.push({
      kind: 'version-missing',
      subject: { ...subject, dataset: `${onHost.dataset}@v${version.number}` },
      catalog: `v${version.number} ready`,
      host: null,
      action: 'reported',
    });
  }
  const known = new Set(versions.map((v) => `v${v.number}`));
  for (const name of onHost.versions) {
    if (known.has(name)) continue;
    out.divergences.push({
      kind: 'version-unknown',
      subject: { ...subject, dataset: `${onHost.dataset}@${name}` },
      catalog: null,
      host: name,
      action: 'reported',
    });
  }
}

function compareContainer(
  host: HostState,
  catalog: HostCatalog,
  container: HostCatalog['containers'][number],
  onHost: HostContainer,
  now: Date,
  out: HostComparison,
): void {
  const subject = { containerId: container.id, containerName: container.name };
  const branches = catalog.branches.filter((b) => b.containerId === container.id);
  const branchName = (id: string | null) => branches.find((b) => b.id === id)?.name;
  const describeBranch = (id: string | null) =>
    id === null ? null : `${branchName(id) ?? 'unknown branch'} (${id})`;
  const add = (d: PlannedDivergence) => out.divergences.push(d);

  // The active branch: the host's property is the truth when the catalog knows that branch.
  let active = container.activeBranchId;
  if (onHost.activeBranch !== container.activeBranchId) {
    const known = onHost.activeBranch !== null && branchName(onHost.activeBranch) !== undefined;
    add({
      kind: 'active-branch',
      subject,
      catalog: describeBranch(container.activeBranchId),
      host: describeBranch(onHost.activeBranch),
      action: known ? 'repaired' : 'reported',
      ...(known && {
        repair: {
          type: 'container',
          containerId: container.id,
          changes: { activeBranchId: onHost.activeBranch! },
        },
      }),
    });
    if (known) active = onHost.activeBranch;
  }

  // Serving: `servers` on and running → running; off → stopped (or idle, kept).
  const running = host.instances.filter((i) => i.running && i.containerId === container.id);
  let serving = container.serving;
  if (onHost.servers === 'on' || onHost.servers === 'off') {
    const truth: ContainerServing | null =
      onHost.servers === 'off'
        ? container.serving === 'idle'
          ? 'idle'
          : 'stopped'
        : running.length > 0
          ? 'running'
          : null;
    if (truth !== null && truth !== container.serving) {
      add({
        kind: 'serving',
        subject,
        catalog: container.serving,
        host: `servers ${onHost.servers}, ${running.length} running`,
        action: 'repaired',
        repair: { type: 'container', containerId: container.id, changes: { serving: truth } },
      });
      serving = truth;
    } else if (truth === null && container.serving !== 'running') {
      add({
        kind: 'serving',
        subject,
        catalog: container.serving,
        host: 'servers on, none running',
        action: 'reported',
      });
    }
  }

  // Ports: the container's `sources` property is the truth.
  if (onHost.sources) {
    const repaired = container.endpoints.map((endpoint) => {
      const source = onHost.sources!.get(endpoint.sourceId);
      return source && source.port !== endpoint.port
        ? { ...endpoint, port: source.port }
        : endpoint;
    });
    for (const endpoint of container.endpoints) {
      const source = onHost.sources.get(endpoint.sourceId);
      if (source && source.port === endpoint.port) continue;
      add({
        kind: 'port',
        subject: { ...subject, sourceId: endpoint.sourceId },
        catalog: `${endpoint.source}: port ${endpoint.port ?? '-'}`,
        host: source ? `port ${source.port ?? '-'}` : null,
        action: source ? 'repaired' : 'reported',
        ...(source && {
          repair: {
            type: 'container',
            containerId: container.id,
            changes: { endpoints: repaired },
          },
        }),
      });
    }
  }

  // Servers: those of the active branch run exactly when the container serves.
  for (const instance of running) {
    const why =
      serving !== 'running'
        ? `the container is ${serving}`
        : instance.branchId !== active
          ? `branch ${describeBranch(instance.branchId)} is not active`
          : null;
    if (why === null) continue;
    add({
      kind: 'server-unexpected',
      subject: {
        ...subject,
        branchId: instance.branchId,
        ...(branchName(instance.branchId) && { branchName: branchName(instance.branchId) }),
        sourceId: instance.sourceId,
      },
      catalog: why,
      host: `running on port ${instance.port}`,
      action: 'reported',
    });
  }
  if (serving === 'running' && active !== null) {
    for (const [sourceId, source] of onHost.sources ?? []) {
      if (source.port === null) continue;
      const runs = running.some((i) => i.branchId === active && i.sourceId === sourceId);
      if (runs) continue;
      add({
        kind: 'server-missing',
        subject: { ...subject, branchId: active, sourceId },
        catalog: `running on port ${source.port}`,
        host: null,
        action: 'reported',
      });
    }
  }

  compareBranches(catalog, container, onHost, now, out);
}

function compareBranches(
  catalog: HostCatalog,
  container: HostCatalog['containers'][number],
  onHost: HostContainer,
  now: Date,
  out: HostComparison,
): void {
  const subject = { containerId: container.id, containerName: container.name };
  const branches = catalog.branches.filter((b) => b.containerId === container.id);
  const action = (createdAt: Date | null): DivergenceAction =>
    createdAt !== null && now.getTime() - createdAt.getTime() < PENDING_MS ? 'pending' : 'reported';

  for (const branch of branches) {
    const branchSubject = { ...subject, branchId: branch.id, branchName: branch.name };
    const hostBranch = onHost.branches.get(branch.id);
    if (branch.state !== 'ready') continue;
    if (!hostBranch) {
      out.divergences.push({
        kind: 'branch-missing',
        subject: branchSubject,
        catalog: 'ready',
        host: null,
        action: 'reported',
      });
      continue;
    }
    const points = catalog.points.filter((p) => p.branchId === branch.id);
    const bookmarks = catalog.bookmarks.filter((b) => b.branchId === branch.id);
    for (const point of points) {
      if (hostBranch.points.has(point.id)) continue;
      const bookmark = bookmarks.find((b) => b.pointId === point.id);
      out.divergences.push({
        kind: 'point-missing',
        subject: {
          ...branchSubject,
          pointId: point.id,
          ...(bookmark && { bookmarkId: bookmark.id, bookmarkName: bookmark.name }),
        },
        catalog: bookmark ? `point of bookmark ${bookmark.name}` : 'point',
        host: null,
        action: 'reported',
      });
    }
    const knownPoints = new Set(points.map((p) => p.id));
    for (const hostPoint of hostBranch.points.values()) {
      const pointSubject = { ...branchSubject, pointId: hostPoint.id, dataset: hostPoint.snapshot };
      if (!knownPoints.has(hostPoint.id)) {
        out.divergences.push({
          kind: 'point-unknown',
          subject: pointSubject,
          catalog: null,
          host: hostPoint.snapshot,
          action: action(hostPoint.createdAt),
        });
      }
      const onPoint = bookmarks.filter((b) => b.pointId === hostPoint.id);
      // A bookmark whose point lost its hold could be destroyed: hold it again.
      for (const bookmark of onPoint) {
        const held = hostPoint.holds
          ? hostPoint.holds.includes(bookmark.id)
          : hostPoint.userrefs > 0;
        if (held) continue;
        out.divergences.push({
          kind: 'hold-missing',
          subject: { ...pointSubject, bookmarkId: bookmark.id, bookmarkName: bookmark.name },
          catalog: `bookmark ${bookmark.name} holds the point`,
          host: hostPoint.holds ? `holds: ${hostPoint.holds.join(', ') || 'none'}` : 'no hold',
          action: 'repaired',
          repair: {
            type: 'hold',
            holdTag: bookmark.id,
            request: { containerId: container.id, branchId: branch.id, pointId: hostPoint.id },
          },
        });
      }
      const unknownHolds = hostPoint.holds
        ? hostPoint.holds.filter((tag) => !onPoint.some((b) => b.id === tag))
        : hostPoint.userrefs > 0 && onPoint.length === 0
          ? [`${hostPoint.userrefs} hold(s)`]
          : [];
      if (unknownHolds.length > 0)
        out.divergences.push({
          kind: 'hold-unknown',
          subject: pointSubject,
          catalog: onPoint.length > 0 ? `bookmarks ${onPoint.map((b) => b.id).join(', ')}` : null,
          host: `holds: ${unknownHolds.join(', ')}`,
          action: 'reported',
        });
    }
  }

  const known = new Set(branches.map((b) => b.id));
  for (const hostBranch of onHost.branches.values()) {
    if (known.has(hostBranch.id)) continue;
    out.divergences.push({
      kind: 'branch-unknown',
      subject: { ...subject, branchId: hostBranch.id, dataset: hostBranch.dataset },
      catalog: null,
      host: hostBranch.dataset,
      action: action(hostBranch.createdAt),
    });
  }
}

/**
 * What keeps a tree from being destroyed, as the agent sees it: clones outside it of a
 * snapshot inside it, and held snapshots inside it (named once per recursive hold).
 */
function hostDependents(host: HostState, top: string): string[] {
  const inside = (name: string) =>
    name === top || name.startsWith(`${top}/`) || name.startsWith(`${top}@`);
  const dependents: string[] = [];
  for (const dataset of host.datasets) {
    if (dataset.origin && inside(dataset.origin) && !inside(dataset.name))
      dependents.push(`clone ${dataset.name} of ${dataset.origin}`);
  }
  const held = new Set(
    host.datasets
      .filter((d) => d.type === 'snapshot' && inside(d.name) && d.userrefs > 0)
      .map((d) => d.name),
  );
  for (const name of held) {
    const [path = '', snap] = name.split('@');
    const parent = `${path.slice(0, path.lastIndexOf('/'))}@${snap}`;
    if (!held.has(parent)) dependents.push(`hold on ${name}`);
  }
  return dependents;
}
