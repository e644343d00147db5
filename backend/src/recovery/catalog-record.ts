import type { TemplateHooks } from '../database/entities/template.entity.js';

/**
 * The catalog records kept on the hosts (`branchpoint:catalog`, docs/zfs-layout.md): what only
 * the catalog knows about a template, version, container, branch or point, so that recovery can
 * rebuild the catalog from the hosts. Users are named by username (ids die with the database).
 * Compact: empty and default fields are left out.
 */

export const CATALOG_RECORD_VERSION = 1;

export interface TemplateRecord {
  v: 1;
  name: string;
  creator: string;
  /** Connection strings without their password (the host must never hold a credential). */
  sources: { id: string; name: string; kind: string; url: string }[];
  hooks?: TemplateHooks;
  /** The hooks did not fit in the record: a recovered template has none. */
  hooksOmitted?: true;
  ownerSuperuser?: true;
  keepRoles?: string[];
}

export interface VersionRecord {
  v: 1;
  version: string;
  createdAt: string;
}

export interface ContainerRecord {
  v: 1;
  name: string;
  templateId: string;
  owners: string[];
  expiresAt?: string;
  protected?: true;
}

export interface BranchRecord {
  v: 1;
  name: string;
  createdBy: string;
  templateVersion: string;
  originPointId?: string;
  originContainerId?: string;
  originBookmarkId?: string;
}

export interface BookmarkRecord {
  id: string;
  name: string;
  description?: string;
  tags?: string[];
  bugRef?: string;
  creator: string;
  visibility: 'private' | 'users' | 'everyone';
  sharedWith?: string[];
  expiresAt?: string;
  protected?: true;
}

export interface PointRecord {
  v: 1;
  type: string;
  createdAt: string;
  templateVersion: string;
  undoPointId?: string;
  bookmark?: BookmarkRecord;
}

export type CatalogRecord =
  TemplateRecord | VersionRecord | ContainerRecord | BranchRecord | PointRecord;

/** The stored text of a record: what the agent keeps (it stores `JSON.stringify(record)`). */
export function encodeRecord(record: CatalogRecord): string {
  return JSON.stringify(record);
}

export function recordBytes(record: CatalogRecord): number {
  return Buffer.byteLength(encodeRecord(record));
}

/** Whether the stored text holds the same record (key order aside). */
export function sameRecord(stored: string | undefined, record: CatalogRecord): boolean {
  if (stored === undefined) return false;
  try {
    return canonical(JSON.parse(stored)) === canonical(record);
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

// Reading records back. A host may hold records of a newer version or damaged text: those read
// as null and the object is recovered from its structural properties instead.

type Fields = Record<string, unknown>;

function fieldsOf(text: string | undefined): Fields | null {
  if (text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    return (value as Fields)['v'] === CATALOG_RECORD_VERSION ? (value as Fields) : null;
  } catch {
    return null;
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(isString);
const optional = <T>(value: unknown, guard: (v: unknown) => v is T): boolean =>
  value === undefined || guard(value);
const isDate = (value: unknown): value is string =>
  isString(value) && !Number.isNaN(new Date(value).getTime());

export function readTemplateRecord(text: string | undefined): TemplateRecord | null {
  const r = fieldsOf(text);
  const sources = r?.['sources'];
  const sourcesOk =
    Array.isArray(sources) &&
    sources.every((s: Fields) => isString(s?.['id']) && isString(s['name']) && isString(s['url']));
  return r && isString(r['name']) && isString(r['creator']) && sourcesOk
    ? (r as unknown as TemplateRecord)
    : null;
}

export function readVersionRecord(text: string | undefined): VersionRecord | null {
  const r = fieldsOf(text);
  return r && isString(r['version']) && isDate(r['createdAt'])
    ? (r as unknown as VersionRecord)
    : null;
}

export function readContainerRecord(text: string | undefined): ContainerRecord | null {
  const r = fieldsOf(text);
  return r &&
    isString(r['name']) &&
    isString(r['templateId']) &&
    isStrings(r['owners']) &&
    optional(r['expiresAt'], isDate)
    ? (r as unknown as ContainerRecord)
    : null;
}

export function readBranchRecord(text: string | undefined): BranchRecord | null {
  const r = fieldsOf(text);
  return r && isString(r['name']) && isString(r['createdBy']) && isString(r['templateVersion'])
    ? (r as unknown as BranchRecord)
    : null;
}

export function readPointRecord(text: string | undefined): PointRecord | null {
  const r = fieldsOf(text);
  if (!r || !isString(r['type']) || !isDate(r['createdAt']) || !isString(r['templateVersion']))
    return null;
  const bookmark = r['bookmark'] as Fields | undefined;
  const bookmarkOk =
    bookmark === undefined ||
    (isString(bookmark['id']) &&
      isString(bookmark['name']) &&
      isString(bookmark['creator']) &&
      ['private', 'users', 'everyone'].includes(bookmark['visibility'] as string) &&
      optional(bookmark['tags'], isStrings) &&
      optional(bookmark['sharedWith'], isStrings) &&
      optional(bookmark['expiresAt'], isDate));
  return bookmarkOk ? (r as unknown as PointRecord) : null;
}
