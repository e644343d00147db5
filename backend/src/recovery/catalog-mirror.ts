import {
  MAX_CATALOG_RECORD_BYTES,
  type CatalogRecordRequest,
  type CatalogTarget,
} from '@branchpoint/contracts';
import type { Bookmark } from '../database/entities/bookmark.entity.js';
import type { Branch } from '../database/entities/branch.entity.js';
import type { Container } from '../database/entities/container.entity.js';
import type { Point } from '../database/entities/point.entity.js';
import type { TemplateSource } from '../database/entities/template-source.entity.js';
import type { TemplateVersion } from '../database/entities/template-version.entity.js';
import type { Template } from '../database/entities/template.entity.js';
import { withoutPassword } from '../common/connection-string.js';
import type { HostState } from '../reconciliation/host-state.js';
import {
  CATALOG_RECORD_VERSION as V,
  recordBytes,
  sameRecord,
  type BookmarkRecord,
  type BranchRecord,
  type CatalogRecord,
  type ContainerRecord,
  type PointRecord,
  type TemplateRecord,
  type VersionRecord,
} from './catalog-record.js';

/**
 * Derives the catalog record of each object from the metadata (pure), and which records a host
 * lacks or holds in an older form.
 */

/** Username of a user id; a user deleted since is named by nothing (the record keeps ''). */
export type Usernames = (userId: string) => string;

export function templateRecord(
  template: Template,
  sources: TemplateSource[],
  name: Usernames,
): TemplateRecord {
  const hooks = Object.values(template.hooks ?? {}).some((h) => (h?.length ?? 0) > 0)
    ? template.hooks
    : undefined;
  const record: TemplateRecord = {
    v: V,
    name: template.name,
    creator: name(template.createdById),
    sources: sources.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      url: withoutPassword(s.connectionString),
    })),
    ...(hooks ? { hooks } : {}),
    ...(template.ownerSuperuser ? { ownerSuperuser: true as const } : {}),
    ...(template.keepRoles.length > 0 ? { keepRoles: template.keepRoles } : {}),
  };
  // Hooks may be long scripts: a record that does not fit keeps everything but them.
  if (hooks && recordBytes(record) > MAX_CATALOG_RECORD_BYTES) {
    delete record.hooks;
    record.hooksOmitted = true;
  }
  return record;
}

export function versionRecord(version: TemplateVersion): VersionRecord {
  return { v: V, version: version.version, createdAt: version.createdAt.toISOString() };
}

export function containerRecord(container: Container, name: Usernames): ContainerRecord {
  return {
    v: V,
    name: container.name,
    templateId: container.templateId,
    owners: container.ownerIds.map(name).filter(Boolean),
    ...(container.expiresAt ? { expiresAt: container.expiresAt.toISOString() } : {}),
    ...(container.protected ? { protected: true as const } : {}),
  };
}

export function branchRecord(branch: Branch, name: Usernames): BranchRecord {
  return {
    v: V,
    name: branch.name,
    createdBy: name(branch.createdById),
    templateVersion: branch.templateVersion,
    ...(branch.originPointId ? { originPointId: branch.originPointId } : {}),
    ...(branch.originContainerId ? { originContainerId: branch.originContainerId } : {}),
    ...(branch.originBookmarkId ? { originBookmarkId: branch.originBookmarkId } : {}),
  };
}

export function pointRecord(
  point: Point,
  bookmark: Bookmark | undefined,
  name: Usernames,
): PointRecord {
  const record: PointRecord = {
    v: V,
    type: point.type,
    createdAt: point.createdAt.toISOString(),
    templateVersion: point.templateVersion,
    ...(point.undoPointId ? { undoPointId: point.undoPointId } : {}),
    ...(bookmark ? { bookmark: bookmarkRecord(bookmark, name) } : {}),
  };
  // Only a long description can make a point's record too large: the longest start that fits
  // is kept (JSON escapes and multi-byte characters make bytes and characters differ).
  const description = record.bookmark?.description;
  if (description && recordBytes(record) > MAX_CATALOG_RECORD_BYTES) {
    const cut = (length: number) => {
      record.bookmark!.description = `${description.slice(0, length)}…`;
      return recordBytes(record) <= MAX_CATALOG_RECORD_BYTES;
    };
    let [fits, tooLong] = [0, description.length];
    while (tooLong - fits > 1) {
      const middle = Math.floor((fits + tooLong) / 2);
      if (cut(middle)) fits = middle;
      else tooLong = middle;
    }
    cut(fits);
  }
  return record;
}

function bookmarkRecord(bookmark: Bookmark, name: Usernames): BookmarkRecord {
  return {
    id: bookmark.id,
    name: bookmark.name,
    ...(bookmark.description ? { description: bookmark.description } : {}),
    ...(bookmark.tags.length > 0 ? { tags: bookmark.tags } : {}),
    ...(bookmark.bugRef ? { bugRef: bookmark.bugRef } : {}),
    creator: name(bookmark.creatorId),
    visibility: bookmark.visibility,
    ...(bookmark.sharedWith.length > 0
      ? { sharedWith: bookmark.sharedWith.map(name).filter(Boolean) }
      : {}),
    ...(bookmark.expiresAt ? { expiresAt: bookmark.expiresAt.toISOString() } : {}),
    ...(bookmark.protected ? { protected: true as const } : {}),
  };
}

/** The catalog rows of one host (or one container or template of it) that the mirror writes. */
export interface MirrorRows {
  templates: { template: Template; sources: TemplateSource[]; versions: TemplateVersion[] }[];
  containers: {
    container: Container;
    branches: Branch[];
    points: Point[];
    bookmarks: Bookmark[];
  }[];
}

/**
 * The writes that bring the host's records in line with the catalog: one per object that exists
 * on the host and whose record is missing or differs. Objects the host lacks are left out (the
 * agent would answer 404); records too large for the agent are named in `tooLarge`.
 */
export function mirrorWrites(
  host: HostState,
  rows: MirrorRows,
  name: Usernames,
): { writes: CatalogRecordRequest[]; tooLarge: string[] } {
  const stored = new Map(host.datasets.map((d) => [d.name, d.properties['catalog']]));
  const writes: CatalogRecordRequest[] = [];
  const tooLarge: string[] = [];
  const want = (dataset: string | undefined, target: CatalogTarget, record: CatalogRecord) => {
    if (dataset === undefined || sameRecord(stored.get(dataset), record)) return;
    if (recordBytes(record) > MAX_CATALOG_RECORD_BYTES) tooLarge.push(dataset);
    else writes.push({ target, record: { ...record } });
  };

  for (const { template, sources, versions } of rows.templates) {
    const onHost = host.templates.get(template.id);
    if (!onHost) continue;
    want(
      onHost.dataset,
      { kind: 'template', templateId: template.id },
      templateRecord(template, sources, name),
    );
    for (const version of versions) {
      if (!onHost.versions.has(version.version)) continue;
      want(
        `${onHost.dataset}@${version.version}`,
        { kind: 'template-version', templateId: template.id, version: version.version },
        versionRecord(version),
      );
    }
  }

  for (const { container, branches, points, bookmarks } of rows.containers) {
    const onHost = host.containers.get(container.id);
    if (!onHost) continue;
    const containerId = container.id;
    want(onHost.dataset, { kind: 'container', containerId }, containerRecord(container, name));
    const bookmarkOf = new Map(bookmarks.map((b) => [b.pointId, b]));
    for (const branch of branches) {
      const branchOnHost = onHost.branches.get(branch.id);
      if (!branchOnHost) continue;
      want(
        branchOnHost.dataset,
        { kind: 'branch', containerId, branchId: branch.id },
        branchRecord(branch, name),
      );
      for (const point of points.filter((p) => p.branchId === branch.id)) {
        want(
          branchOnHost.points.get(point.id)?.snapshot,
          { kind: 'point', containerId, branchId: branch.id, pointId: point.id },
          pointRecord(point, bookmarkOf.get(point.id), name),
        );
      }
    }
  }
  return { writes, tooLarge };
}
