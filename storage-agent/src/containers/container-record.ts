import type { SourceKind } from '@branchpoint/contracts';
import { notFound } from '../common/agent-failure.js';
import { isSourceKind } from '../engines/source-kind.js';
import type { DatasetLayout } from '../datasets/layout.js';
import { PROPERTY } from '../datasets/properties.js';
import { ifMissing } from '../zfs/zfs.errors.js';
import type { Zfs } from '../zfs/zfs.js';

export interface ContainerSource {
  id: string;
  kind: SourceKind;
  /** Sources that serve (databases): the fixed port; directory sources: null. */
  port: number | null;
}

/** What the agent keeps about a container, in user properties of its dataset. */
export interface ContainerRecord {
  containerId: string;
  sources: ContainerSource[];
  /** The container password's verifier per engine, by property name (without `branchpoint:`). */
  passwordVerifiers: Record<string, string>;
  activeBranchId: string | null;
  /** Whether the active branch's servers should run (so an interrupted restore or reset restarts them when repeated). */
  serversWanted: boolean;
  /** Whether the owner role is a superuser (the template's choice). */
  ownerSuperuser: boolean;
  /** Source roles that keep LOGIN with the container's password. */
  keepRoles: string[];
}

/** The ids of the container's sources, in its order. */
export function sourceIds(record: ContainerRecord): string[] {
  return record.sources.map((source) => source.id);
}

/** `app-db:postgres:55001,uploads:directory:-` */
export function formatSources(sources: ContainerSource[]): string {
  return sources.map((source) => `${source.id}:${source.kind}:${source.port ?? '-'}`).join(',');
}

export function parseSources(value: string | undefined): ContainerSource[] {
  if (!value) return [];
  return value.split(',').map((entry) => {
    const [id = '', kind, port] = entry.split(':');
    return {
      id,
      kind: isSourceKind(kind) ? kind : 'postgres',
      port: port && port !== '-' ? Number(port) : null,
    };
  });
}

/** Reads the container record; 404 when the container does not exist. */
export async function readContainer(
  zfs: Zfs,
  layout: DatasetLayout,
  containerId: string,
): Promise<ContainerRecord> {
  const dataset = layout.container(containerId);
  const [info] = await zfs.describe(dataset, { depth: 0 }).catch(ifMissing([]));
  if (!info) throw notFound(`container ${containerId} does not exist`);
  return containerRecord(containerId, info.properties);
}

/** The container record held in a container dataset's (unprefixed) user properties. */
export function containerRecord(
  containerId: string,
  properties: Record<string, string>,
): ContainerRecord {
  return {
    containerId,
    sources: parseSources(properties['sources']),
    passwordVerifiers: Object.fromEntries(
      Object.entries(properties).filter(([name]) => name.startsWith('password-')),
    ),
    activeBranchId: properties['active-branch'] ?? null,
    serversWanted: properties['servers'] === 'on',
    ownerSuperuser: properties['owner-superuser'] === 'on',
    keepRoles: (properties['keep-roles'] ?? '').split(',').filter(Boolean),
  };
}

/** Property names without the `branchpoint:` prefix, as DatasetInfo.properties holds them. */
export const LOCAL = {
  generation: PROPERTY.generation.slice('branchpoint:'.length),
  database: PROPERTY.database.slice('branchpoint:'.length),
  ingestRole: PROPERTY.ingestRole.slice('branchpoint:'.length),
  superuser: PROPERTY.superuser.slice('branchpoint:'.length),
  holds: PROPERTY.holds.slice('branchpoint:'.length),
} as const;
