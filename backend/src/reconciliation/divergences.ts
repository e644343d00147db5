import type { HoldRequest } from '@branchpoint/contracts';
import { createHash } from 'node:crypto';
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
  'foreign',
  'installation-missing',
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
  | { type: 'hold'; holdTag: string; request: HoldRequest }
  /** A dataset the catalog knows carries no installation id: it takes this installation's. */
  | { type: 'claim'; kind: 'container' | 'template'; id: string };

/** A divergence and, for `repaired` ones, the repair to apply. */
export interface PlannedDivergence extends Divergence {
  repair?: Repair;
}

/**
 * What may become of a dataset the catalog does not know:
 * - `destroyable`: this installation's (or made before installation ids, when the catalog
 *   remembers its id from a job or the audit log), old enough, nothing depends on it;
 * - `pending`: younger than PENDING_MS or a job of its id is in flight;
 * - `has-dependents`: clones elsewhere, holds or catalog branches depend on it;
 * - `unknown-to-catalog`: the catalog has no trace of it at all: made after the metadata was
 *   backed up (restored from an older backup?) or by another control plane before ids existed.
 *   `POST /recovery` adopts it; never offered for destruction;
 * - `foreign`: it carries another installation's id: never touched;
 * - `known-elsewhere`: the catalog has it on another host (one agent registered twice?).
 */
export const ORPHAN_VERDICTS = [
  'destroyable',
  'pending',
  'has-dependents',
  'unknown-to-catalog',
  'foreign',
  'known-elsewhere',
] as const;
export type OrphanVerdict = (typeof ORPHAN_VERDICTS)[number];

export interface Orphan {
  /** `container:<id>` or `template:<id>`. */
  key: string;
  kind: 'container' | 'template';
  id: string;
  dataset: string;
  bytes: number;
  createdAt: Date | null;
  /** The installation id its top dataset carries (null: none, made before ids existed). */
  installation: string | null;
  /** Every filesystem a destroy would remove, the top one first. */
  datasets: string[];
  /** How many snapshots go with them. */
  snapshots: number;
  /** What would keep the destroy from going through (clones outside it, holds, catalog branches). */
  dependents: string[];
  /** Younger than PENDING_MS, or a job of its id in flight: not offered for destruction yet. */
  pending: boolean;
  verdict: OrphanVerdict;
  /** Why, in words an admin acts on. */
  reason: string;
  /**
   * What the admin saw: a hash of its top dataset, installation id, creation time and every
   * dataset and snapshot in it. A destroy names it; if anything changed since, it is refused.
   */
  fingerprint: string;
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
  /** This control plane's installation id. */
  installationId: string;
  /** Containers and templates the catalog has on other hosts, id → that host's name. */
  elsewhere: ReadonlyMap<string, string>;
  /** Ids of those on this host the catalog does not know, that a job or the audit log names. */
  traced: ReadonlySet<string>;
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
    const onHost = host.templates.get(template.id);
    const subject = { templateId: template.id, templateName: template.name };
    if (onHost && !isOurs(onHost, 'template', subject, catalog, out)) continue;
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
    const subject = { containerId: container.id, containerName: container.name };
    if (!isOurs(onHost, 'container', subject, catalog, out)) continue;
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
    // A job may be deleting (or creating) it right now: as good as young.
    const busy = (
      item.kind === 'container' ? catalog.busyContainerIds : catalog.busyTemplateIds
    ).has(item.id);
    const catalogDependents = catalog.originBranches
      .filter((b) => item.kind === 'container' && b.originContainerId === item.id)
      .map((b) => `branch ${b.name} (${b.id}) of container ${b.containerId}`);
    const orphan = judgeOrphan(host, catalog, {
      ...item,
      pending: busy || pending(item.createdAt),
      dependents: [...hostDependents(host, item.dataset), ...catalogDependents],
    });
    out.orphans.push(orphan);
    out.divergences.push({
      kind: orphan.verdict === 'foreign' ? 'foreign' : 'orphan',
      subject: {
        [item.kind === 'container' ? 'containerId' : 'templateId']: item.id,
        dataset: item.dataset,
      },
      catalog: orphan.verdict === 'known-elsewhere' ? orphan.reason : null,
      host: `${item.kind} ${item.id} (${item.usedBytes} bytes${
        item.installation ? `, installation ${item.installation}` : ''
      })`,
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

/**
 * Whether a dataset the catalog knows is this installation's to compare. One made before
 * installation ids (none on it) is claimed: it takes this installation's id. One that carries
 * another installation's id is reported `foreign` and left alone.
 */
function isOurs(
  onHost: { id: string; dataset: string; installation: string | null },
  kind: 'container' | 'template',
  subject: DivergenceSubject,
  catalog: HostCatalog,
  out: HostComparison,
): boolean {
  if (onHost.installation === catalog.installationId) return true;
  if (onHost.installation === null) {
    out.divergences.push({
      kind: 'installation-missing',
      subject: { ...subject, dataset: onHost.dataset },
      catalog: catalog.installationId,
      host: null,
      action: 'repaired',
      repair: { type: 'claim', kind, id: onHost.id },
    });
    return true;
  }
  out.divergences.push({
    kind: 'foreign',
    subject: { ...subject, dataset: onHost.dataset },
    catalog: catalog.installationId,
    host: `installation ${onHost.installation}`,
    action: 'reported',
  });
  return false;
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

/** Classifies one dataset the catalog does not know on this host (see ORPHAN_VERDICTS). */
function judgeOrphan(
  host: HostState,
  catalog: HostCatalog,
  item: {
    kind: 'container' | 'template';
    id: string;
    dataset: string;
    usedBytes: number;
    createdAt: Date | null;
    installation: string | null;
    pending: boolean;
    dependents: string[];
  },
): Orphan {
  const inside = treeOf(host, item.dataset);
  const base = {
    key: `${item.kind}:${item.id}`,
    kind: item.kind,
    id: item.id,
    dataset: item.dataset,
    bytes: item.usedBytes,
    createdAt: item.createdAt,
    installation: item.installation,
    datasets: inside.filter((d) => d.type === 'filesystem').map((d) => d.name),
    snapshots: inside.filter((d) => d.type === 'snapshot').length,
    dependents: item.dependents,
    pending: item.pending,
    fingerprint: orphanFingerprint(item, inside),
  };
  const verdict = (verdict: OrphanVerdict, reason: string): Orphan => ({
    ...base,
    verdict,
    reason,
  });
  const elsewhere = catalog.elsewhere.get(item.id);
  if (elsewhere !== undefined)
    return verdict(
      'known-elsewhere',
      `the catalog has ${item.kind} ${item.id} on host ${elsewhere}: is one agent registered as two hosts?`,
    );
  if (item.installation !== null && item.installation !== catalog.installationId)
    return verdict(
      'foreign',
      `it belongs to installation ${item.installation}, another control plane: never touched`,
    );
  if (!catalog.traced.has(item.id))
    return verdict(
      'unknown-to-catalog',
      item.installation === null
        ? 'it carries no installation id and the catalog has no trace of it: another control plane made it, or it predates the metadata; POST /recovery adopts it'
        : "it carries this installation's id but the catalog has no trace of it: newer than the metadata (restored from an older backup?); POST /recovery adopts it",
    );
  if (item.pending)
    return verdict('pending', 'younger than a minute, or a job of its id is in flight');
  if (item.dependents.length > 0)
    return verdict('has-dependents', `depended on: ${item.dependents.join('; ')}`);
  return verdict(
    'destroyable',
    'the catalog once knew it (a job or the audit log names it) and no longer does',
  );
}

/**
 * Why a confirmed list may not be destroyed, one sentence per problem (none: every item is a
 * `destroyable` orphan of this host, listed once, unchanged since the admin saw it).
 */
export function confirmedProblems(
  hostName: string,
  orphans: ReadonlyMap<string, Orphan>,
  confirmed: { key: string; fingerprint: string }[],
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { key, fingerprint } of confirmed) {
    if (seen.has(key)) {
      problems.push(`${key} is listed twice`);
      continue;
    }
    seen.add(key);
    const orphan = orphans.get(key);
    if (!orphan)
      problems.push(
        `${key} is not an orphan on host ${hostName} (the catalog knows it, or it is gone)`,
      );
    else if (orphan.verdict !== 'destroyable')
      problems.push(`${key} is not destroyable (${orphan.verdict}): ${orphan.reason}`);
    else if (orphan.fingerprint !== fingerprint)
      problems.push(
        `${key} changed since the preview (fingerprint ${fingerprint}, now ${orphan.fingerprint}): preview it again`,
      );
  }
  return problems;
}

/** The top dataset and every dataset and snapshot below it, in inventory order. */
function treeOf(host: HostState, top: string) {
  return host.datasets.filter(
    (d) => d.name === top || d.name.startsWith(`${top}/`) || d.name.startsWith(`${top}@`),
  );
}

/** See Orphan.fingerprint: 16 hex digits, the same for the same tree. */
export function orphanFingerprint(
  item: { dataset: string; installation: string | null; createdAt: Date | null },
  inside: { name: string }[],
): string {
  const names = inside.map((d) => d.name).sort();
  return createHash('sha256')
    .update(
      JSON.stringify([
        item.dataset,
        item.installation,
        item.createdAt?.toISOString() ?? null,
        names,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
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
