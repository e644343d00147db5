import type { HoldRequest, InventoryDataset } from '@branchpoint/contracts';
import type { Bookmark } from '../database/entities/bookmark.entity.js';
import type { Branch } from '../database/entities/branch.entity.js';
import type { Container } from '../database/entities/container.entity.js';
import type { Point, PointType } from '../database/entities/point.entity.js';
import { POINT_TYPES } from '../database/entities/point.entity.js';
import type { TemplateSource } from '../database/entities/template-source.entity.js';
import type { TemplateVersion } from '../database/entities/template-version.entity.js';
import type { Template } from '../database/entities/template.entity.js';
import type { HostBranch, HostContainer, HostState } from '../reconciliation/host-state.js';
import type { SourceKind } from '@branchpoint/contracts';
import { SOURCE_KINDS } from '../common/engines.js';
import {
  readBranchRecord,
  readContainerRecord,
  readPointRecord,
  readTemplateRecord,
  readVersionRecord,
} from './catalog-record.js';

/**
 * Which catalog rows recovery adds, as a pure function of the hosts' inventories and the rows the
 * catalog has: every template, version, container, branch, point and bookmark found on a host but
 * absent from the catalog is adopted from its catalog record, or from its structural properties
 * (a generated `recovered-<id>` name, owned by the admin) when it has none. What the catalog has
 * stays as it is.
 */

export type AdoptedKind = 'template' | 'version' | 'container' | 'branch' | 'point' | 'bookmark';

export interface RecoveryHost {
  id: string;
  name: string;
  state: HostState;
}

/** What the catalog has now (after a loss: nearly nothing; after an older backup: its rows). */
export interface ExistingCatalog {
  templates: { id: string; name: string }[];
  versions: { templateId: string; number: number }[];
  containers: { id: string; templateId: string }[];
  branches: { id: string; containerId: string; name: string; templateVersion: string }[];
  points: { id: string; templateVersion: string }[];
  bookmarks: { id: string }[];
  users: { id: string; username: string }[];
}

export interface AdoptedItem {
  kind: AdoptedKind;
  id: string;
  name: string | null;
  /** The container it belongs to (itself for a container); null for templates and versions. */
  containerId: string | null;
  hostId: string;
  host: string;
  /** `record`: from the host's catalog record; `properties`: from structure alone (generated name). */
  from: 'record' | 'properties';
}

export interface SkippedItem {
  kind: AdoptedKind;
  id: string;
  hostId: string;
  host: string;
  reason: string;
}

type Row<T> = Omit<T, 'createdAt'> & { createdAt: Date };
export type ContainerRow = Omit<Container, 'password' | 'endpoints'>;

export interface AdoptionPlan {
  /** Users the records name that the catalog lacks: created with the role `user`. */
  users: { id: string; username: string }[];
  templates: Row<Template>[];
  sources: TemplateSource[];
  versions: Omit<TemplateVersion, 'version'>[];
  /** Without password and endpoints: those come from the host when the container is adopted. */
  containers: ContainerRow[];
  branches: Branch[];
  points: Point[];
  bookmarks: Bookmark[];
  /** Holds of adopted bookmarks, applied again (idempotent). */
  holds: { hostId: string; holdTag: string; request: HoldRequest }[];
  adopted: AdoptedItem[];
  skipped: SkippedItem[];
  /** Objects found on the hosts that the catalog already has, left as the catalog says. */
  unchanged: Record<AdoptedKind, number>;
}

export interface PlanContext {
  /** The admin running the recovery: owner and creator of what has no record. */
  adminId: string;
  now: Date;
  newId: () => string;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function planAdoption(
  hosts: RecoveryHost[],
  catalog: ExistingCatalog,
  context: PlanContext,
): AdoptionPlan {
  return new Planner(catalog, context).plan(hosts);
}

/** `recovered-<first 8 characters of the id>`. */
export function recoveredName(id: string): string {
  return `recovered-${id.slice(0, 8)}`;
}

class Planner {
  private readonly out: AdoptionPlan = {
    users: [],
    templates: [],
    sources: [],
    versions: [],
    containers: [],
    branches: [],
    points: [],
    bookmarks: [],
    holds: [],
    adopted: [],
    skipped: [],
    unchanged: { template: 0, version: 0, container: 0, branch: 0, point: 0, bookmark: 0 },
  };
  private readonly userIds: Map<string, string>;
  private readonly templateNames: Set<string>;
  private readonly templateIds: Set<string>;
  private readonly versions: Set<string>;
  private readonly containerTemplate: Map<string, string>;
  private readonly branchNames = new Map<string, Set<string>>();
  private readonly branchIds: Set<string>;
  private readonly pointVersions: Map<string, string>;
  private readonly bookmarkIds: Set<string>;
  /** Every dataset of every host by name, for properties the host state does not arrange. */
  private readonly datasets = new Map<string, InventoryDataset>();

  constructor(
    catalog: ExistingCatalog,
    private readonly context: PlanContext,
  ) {
    this.userIds = new Map(catalog.users.map((u) => [u.username, u.id]));
    this.templateNames = new Set(catalog.templates.map((t) => t.name));
    this.templateIds = new Set(catalog.templates.map((t) => t.id));
    this.versions = new Set(catalog.versions.map((v) => `${v.templateId}@v${v.number}`));
    this.containerTemplate = new Map(catalog.containers.map((c) => [c.id, c.templateId]));
    for (const b of catalog.branches) this.namesOf(b.containerId).add(b.name);
    this.branchIds = new Set(catalog.branches.map((b) => b.id));
    this.pointVersions = new Map(catalog.points.map((p) => [p.id, p.templateVersion]));
    this.bookmarkIds = new Set(catalog.bookmarks.map((b) => b.id));
  }

  plan(hosts: RecoveryHost[]): AdoptionPlan {
    for (const host of hosts)
      for (const dataset of host.state.datasets) this.datasets.set(dataset.name, dataset);
    for (const host of hosts) this.templatesOf(host);
    for (const host of hosts) this.containersOf(host);
    return this.out;
  }

  private templatesOf(host: RecoveryHost): void {
    for (const onHost of host.state.templates.values()) {
      const templateId = onHost.id;
      const known = this.templateIds.has(templateId);
      if (known && !this.out.templates.some((t) => t.id === templateId))
        this.out.unchanged.template++;
      if (!known) {
        const record = readTemplateRecord(this.properties(onHost.dataset)['catalog']);
        const name = this.uniqueTemplateName(record?.name ?? recoveredName(templateId));
        this.out.templates.push({
          id: templateId,
          name,
          hostId: host.id,
          createdById: record ? this.userId(record.creator) : this.context.adminId,
          hooks: record?.hooks ?? {},
          ownerSuperuser: record?.ownerSuperuser ?? false,
          keepRoles: record?.keepRoles ?? [],
          createdAt: onHost.createdAt ?? this.context.now,
        });
        this.out.sources.push(...this.sourcesOf(host, templateId, record?.sources));
        this.templateIds.add(templateId);
        this.adopt(host, 'template', templateId, name, !!record);
      }
      for (const version of [...onHost.versions].sort(byVersion)) {
        const number = /^v(\d+)$/.exec(version)?.[1];
        if (!number) continue;
        const key = `${templateId}@${version}`;
        if (this.versions.has(key)) {
          this.out.unchanged.version++;
          continue;
        }
        const record = readVersionRecord(
          this.properties(`${onHost.dataset}@${version}`)['catalog'],
        );
        this.out.versions.push({
          id: this.context.newId(),
          templateId,
          number: Number(number),
          state: 'ready',
          error: null,
          createdAt: record ? new Date(record.createdAt) : this.context.now,
        });
        this.versions.add(key);
        this.adopt(host, 'version', templateId, version, !!record);
      }
    }
  }

  /** The template's sources from its record, else from its `<t>/<sourceId>` datasets. */
  private sourcesOf(
    host: RecoveryHost,
    templateId: string,
    recorded: { id: string; name: string; url: string }[] | undefined,
  ): TemplateSource[] {
    const prefix = `${host.state.root}/templates/${templateId}/`;
    const onHost = host.state.datasets.filter(
      (d) =>
        d.type === 'filesystem' &&
        d.name.startsWith(prefix) &&
        !d.name.slice(prefix.length).includes('/'),
    );
    const sources = recorded
      ? recorded.map((s) => ({ id: s.id, name: s.name, url: s.url }))
      : onHost.map((d) => {
          const id = d.name.slice(prefix.length);
          const role = d.properties['ingest-role'] || 'postgres';
          const database = d.properties['database'] || 'postgres';
          // No record: where the data came from is unknown; an admin corrects it before a refresh.
          return {
            id,
            name: `source-${id.slice(0, 8)}`,
            url: `postgres://${role}@unknown/${database}`,
          };
        });
    // The engine is the one the host ingested with (datasets of agents before engines: postgres).
    const kindOf = (id: string): SourceKind => {
      const stored = onHost.find((d) => d.name === `${prefix}${id}`)?.properties['source-kind'];
      return SOURCE_KINDS.find((kind) => kind === stored) ?? 'postgres';
    };
    return sources.map((s, position) => ({
      id: s.id,
      templateId,
      name: s.name,
      kind: kindOf(s.id),
      connectionString: s.url,
      position,
    }));
  }

  private containersOf(host: RecoveryHost): void {
    for (const onHost of host.state.containers.values()) {
      if (this.containerTemplate.has(onHost.id)) {
        this.out.unchanged.container++;
        this.branchesOf(host, onHost);
        continue;
      }
      this.adoptContainer(host, onHost);
    }
  }

  private adoptContainer(host: RecoveryHost, onHost: HostContainer): void {
    const skip = (reason: string) => this.skip(host, 'container', onHost.id, reason);
    const record = readContainerRecord(this.properties(onHost.dataset)['catalog']);
    const templateId = record?.templateId ?? this.templateFromOrigins(host, onHost);
    if (!templateId) return skip('no catalog record and no branch whose origin names its template');
    if (!this.templateIds.has(templateId))
      return skip(`its template ${templateId} is neither in the catalog nor on a host`);
    const complete = [...onHost.branches.values()].filter((b) => this.generationOf(b));
    if (complete.length === 0) return skip('no complete branch (a creation was interrupted)');
    const active = complete.find((b) => b.id === onHost.activeBranch)?.id ?? complete[0]!.id;
    const name = record?.name ?? recoveredName(onHost.id);
    const owners = (record?.owners ?? []).map((u) => this.userId(u));
    this.out.containers.push({
      id: onHost.id,
      name,
      templateId,
      hostId: host.id,
      ownerIds: owners.length > 0 ? [...new Set(owners)] : [this.context.adminId],
      activeBranchId: active,
      lockedById: null,
      state: 'ready',
      expiresAt: record?.expiresAt ? new Date(record.expiresAt) : null,
      expiryWarnedAt: null,
      protected: record?.protected ?? false,
      expiryBlockedReason: null,
      serving: onHost.servers === 'off' ? 'stopped' : 'running',
      lastActivityAt: null,
      createdAt: onHost.createdAt ?? this.context.now,
    });
    this.containerTemplate.set(onHost.id, templateId);
    this.adopt(host, 'container', onHost.id, name, !!record, onHost.id);
    this.branchesOf(host, onHost);
  }

  /** Branches, points and bookmarks of a container the catalog has, or that is being adopted. */
  private branchesOf(host: RecoveryHost, onHost: HostContainer): void {
    // Branches first, then points: a branch's origin may be a point of a sibling branch.
    const branches = [...onHost.branches.values()];
    for (const branch of branches) {
      if (this.branchIds.has(branch.id)) this.out.unchanged.branch++;
      else if (!this.generationOf(branch))
        this.skip(
          host,
          'branch',
          branch.id,
          'no current generation (its creation was interrupted)',
        );
      else this.adoptBranch(host, onHost, branch);
    }
    for (const branch of branches)
      if (this.branchIds.has(branch.id)) this.pointsOf(host, onHost, branch);
  }

  private adoptBranch(host: RecoveryHost, onHost: HostContainer, branch: HostBranch): void {
    const properties = this.properties(branch.dataset);
    const record = readBranchRecord(properties['catalog']);
    const origin = parseOrigin(host.state.root, properties['origin']);
    const pointOrigin = origin?.kind === 'point' ? origin : null;
    const names = this.namesOf(onHost.id);
    let name = record?.name ?? recoveredName(branch.id);
    if (names.has(name)) name = `${name}-${recoveredName(branch.id)}`;
    names.add(name);
    this.out.branches.push({
      id: branch.id,
      containerId: onHost.id,
      name,
      state: 'ready',
      templateVersion:
        record?.templateVersion ??
        this.versionOfGeneration(host, `${branch.dataset}/${this.generationOf(branch)}`),
      originPointId: record ? (record.originPointId ?? null) : (pointOrigin?.pointId ?? null),
      originContainerId: record
        ? (record.originContainerId ?? null)
        : (pointOrigin?.containerId ?? null),
      originBookmarkId: record
        ? (record.originBookmarkId ?? null)
        : pointOrigin
          ? (this.holdTagsOf(pointOrigin.snapshot)[0] ?? null)
          : null,
      createdById: record ? this.userId(record.createdBy) : this.context.adminId,
      expiresAt: null,
      expiryWarnedAt: null,
      protected: false,
      expiryBlockedReason: null,
      createdAt: branch.createdAt ?? this.context.now,
    });
    this.branchIds.add(branch.id);
    this.adopt(host, 'branch', branch.id, name, !!record, onHost.id);
  }

  private pointsOf(host: RecoveryHost, onHost: HostContainer, branch: HostBranch): void {
    for (const point of branch.points.values()) {
      if (this.pointVersions.has(point.id)) {
        this.out.unchanged.point++;
        const record = readPointRecord(this.properties(point.snapshot)['catalog']);
        const bookmarkId = record?.bookmark?.id ?? point.holds?.[0];
        if (bookmarkId && this.bookmarkIds.has(bookmarkId)) this.out.unchanged.bookmark++;
      } else {
        const record = readPointRecord(this.properties(point.snapshot)['catalog']);
        const templateVersion =
          record?.templateVersion ?? this.versionOfGeneration(host, point.snapshot.split('@')[0]!);
        // `branchpoint:holds` is a superset (a tag is written before its hold and removed after
        // the release): its tags count only while the snapshot is held at all.
        const holds = point.userrefs > 0 ? point.holds : [];
        const recordedBookmark =
          record?.bookmark && (holds === null || holds.includes(record.bookmark.id))
            ? record.bookmark
            : undefined;
        if (record?.bookmark && !recordedBookmark)
          this.skip(
            host,
            'bookmark',
            record.bookmark.id,
            `its hold is gone from point ${point.id} (the bookmark was deleted)`,
          );
        const bookmarkId =
          recordedBookmark?.id ?? (holds ?? []).find((tag) => UUID.test(tag)) ?? null;
        this.out.points.push({
          id: point.id,
          branchId: branch.id,
          containerId: onHost.id,
          type:
            record && POINT_TYPES.includes(record.type as PointType)
              ? (record.type as PointType)
              : bookmarkId
                ? 'bookmark'
                : 'snapshot',
          bookmarkId,
          undoPointId: record?.undoPointId ?? null,
          templateVersion,
          createdAt: record ? new Date(record.createdAt) : (point.createdAt ?? this.context.now),
        });
        this.pointVersions.set(point.id, templateVersion);
        this.adopt(host, 'point', point.id, null, !!record, onHost.id);
        if (bookmarkId && !this.bookmarkIds.has(bookmarkId))
          this.adoptBookmark(host, onHost.id, branch.id, point.id, bookmarkId, recordedBookmark);
        else if (bookmarkId) this.out.unchanged.bookmark++;
      }
    }
  }

  private adoptBookmark(
    host: RecoveryHost,
    containerId: string,
    branchId: string,
    pointId: string,
    id: string,
    record: NonNullable<ReturnType<typeof readPointRecord>>['bookmark'],
  ): void {
    const name = record?.name ?? recoveredName(id);
    this.out.bookmarks.push({
      id,
      containerId,
      branchId,
      pointId,
      name,
      description: record?.description ?? null,
      tags: record?.tags ?? [],
      bugRef: record?.bugRef ?? null,
      creatorId: record ? this.userId(record.creator) : this.context.adminId,
      visibility: record?.visibility ?? 'private',
      sharedWith: [...new Set((record?.sharedWith ?? []).map((u) => this.userId(u)))],
      expiresAt: record?.expiresAt ? new Date(record.expiresAt) : null,
      expiryWarnedAt: null,
      protected: record?.protected ?? false,
      expiryBlockedReason: null,
      createdAt: this.context.now,
    });
    this.bookmarkIds.add(id);
    this.out.holds.push({
      hostId: host.id,
      holdTag: id,
      request: { containerId, branchId, pointId },
    });
    this.adopt(host, 'bookmark', id, name, !!record, containerId);
  }

  /** The template a container's data comes from: the origin of one of its branches, followed. */
  private templateFromOrigins(host: RecoveryHost, onHost: HostContainer): string | null {
    for (const branch of onHost.branches.values()) {
      const origin = parseOrigin(host.state.root, this.properties(branch.dataset)['origin']);
      if (origin?.kind === 'template') return origin.templateId;
      if (origin?.kind === 'point') {
        const known = this.containerTemplate.get(origin.containerId);
        if (known) return known;
        const other = host.state.containers.get(origin.containerId);
        const fromRecord = other
          ? readContainerRecord(this.properties(other.dataset)['catalog'])?.templateId
          : undefined;
        if (fromRecord) return fromRecord;
        if (other && other.id !== onHost.id) {
          const followed = this.templateFromOrigins(host, other);
          if (followed) return followed;
        }
      }
    }
    return null;
  }

  /**
   * The template version data in a generation derives from, following its origin (a template
   * version, or a point whose version is known or whose generation is followed in turn).
   */
  private versionOfGeneration(host: RecoveryHost, generation: string, depth = 0): string {
    const origin = parseOrigin(host.state.root, this.properties(generation)['origin']);
    if (origin?.kind === 'template') return origin.version;
    if (origin?.kind === 'point' && depth < 64) {
      const known = this.pointVersions.get(origin.pointId);
      if (known) return known;
      const record = readPointRecord(this.properties(origin.snapshot)['catalog']);
      if (record) return record.templateVersion;
      return this.versionOfGeneration(host, origin.snapshot.split('@')[0]!, depth + 1);
    }
    return 'v1';
  }

  private generationOf(branch: HostBranch): string | undefined {
    return this.properties(branch.dataset)['generation'] || undefined;
  }

  private holdTagsOf(snapshot: string): string[] {
    const holds = this.properties(snapshot)['holds'];
    return (holds ?? '').split(',').filter((tag) => UUID.test(tag));
  }

  private properties(dataset: string): Record<string, string> {
    return this.datasets.get(dataset)?.properties ?? {};
  }

  private namesOf(containerId: string): Set<string> {
    let names = this.branchNames.get(containerId);
    if (!names) this.branchNames.set(containerId, (names = new Set()));
    return names;
  }

  private uniqueTemplateName(name: string): string {
    let unique = name;
    for (let n = 2; this.templateNames.has(unique); n++) unique = `${name}-recovered-${n}`;
    this.templateNames.add(unique);
    return unique;
  }

  /** The user a record names; one the catalog lacks is created. Unusable names fall to the admin. */
  private userId(username: string): string {
    if (!USERNAME.test(username)) return this.context.adminId;
    let id = this.userIds.get(username);
    if (!id) {
      id = this.context.newId();
      this.userIds.set(username, id);
      this.out.users.push({ id, username });
    }
    return id;
  }

  private adopt(
    host: RecoveryHost,
    kind: AdoptedKind,
    id: string,
    name: string | null,
    fromRecord: boolean,
    containerId: string | null = null,
  ): void {
    this.out.adopted.push({
      kind,
      id,
      name,
      containerId,
      hostId: host.id,
      host: host.name,
      from: fromRecord ? 'record' : 'properties',
    });
  }

  private skip(host: RecoveryHost, kind: AdoptedKind, id: string, reason: string): void {
    this.out.skipped.push({ kind, id, hostId: host.id, host: host.name, reason });
  }
}

type Origin =
  | { kind: 'template'; templateId: string; version: string }
  | { kind: 'point'; containerId: string; branchId: string; pointId: string; snapshot: string };

/** `branchpoint:origin`: `<root>/templates/<t>@<v>` or `<root>/containers/<c>/<b>/<g>@<p>`. */
export function parseOrigin(root: string, origin: string | undefined): Origin | null {
  if (!origin?.startsWith(`${root}/`)) return null;
  const [path = '', snapshot] = origin.slice(root.length + 1).split('@');
  if (!snapshot) return null;
  const parts = path.split('/');
  if (parts[0] === 'templates' && parts.length === 2)
    return { kind: 'template', templateId: parts[1]!, version: snapshot };
  if (parts[0] === 'containers' && parts.length === 4)
    return {
      kind: 'point',
      containerId: parts[1]!,
      branchId: parts[2]!,
      pointId: snapshot,
      snapshot: origin,
    };
  return null;
}

function byVersion(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}
