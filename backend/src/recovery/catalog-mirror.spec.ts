import type { AgentInventory, InventoryDataset } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import { MAX_CATALOG_RECORD_BYTES } from '@branchpoint/contracts';
import type { Bookmark } from '../database/entities/bookmark.entity.js';
import type { Branch } from '../database/entities/branch.entity.js';
import type { Container } from '../database/entities/container.entity.js';
import type { Point } from '../database/entities/point.entity.js';
import type { TemplateSource } from '../database/entities/template-source.entity.js';
import type { TemplateVersion } from '../database/entities/template-version.entity.js';
import type { Template } from '../database/entities/template.entity.js';
import { withoutPassword } from '../common/connection-string.js';
import { readHostState } from '../reconciliation/host-state.js';
import {
  containerRecord,
  mirrorWrites,
  pointRecord,
  templateRecord,
  type MirrorRows,
} from './catalog-mirror.js';
import { encodeRecord, readPointRecord } from './catalog-record.js';

const ROOT = 'tank/bp';
const C = `${ROOT}/containers/c1`;
const USERS: Record<string, string> = { u1: 'alice', u2: 'bob', admin: 'admin' };
const name = (id: string) => USERS[id] ?? '';
const AT = new Date('2026-12-01T10:00:00.000Z');

const template = {
  id: 't1',
  name: 'shop',
  hostId: 'h1',
  createdById: 'admin',
  hooks: {},
  ownerSuperuser: false,
  keepRoles: [],
  createdAt: AT,
} as Template;
const source = {
  id: 's1',
  templateId: 't1',
  name: 'app-db',
  kind: 'postgres',
  connectionString: 'postgres://app:s3cret@db.internal:5432/shop?sslmode=require',
  position: 0,
} as TemplateSource;
const version = { number: 1, version: 'v1', createdAt: AT } as TemplateVersion;
const container = {
  id: 'c1',
  name: 'qa',
  templateId: 't1',
  ownerIds: ['u1', 'u2'],
  expiresAt: null,
  protected: false,
} as unknown as Container;
const branch = {
  id: 'b1',
  containerId: 'c1',
  name: 'default',
  createdById: 'u1',
  templateVersion: 'v1',
  originPointId: null,
  originContainerId: null,
  originBookmarkId: null,
} as unknown as Branch;
const point = {
  id: 'p1',
  branchId: 'b1',
  containerId: 'c1',
  type: 'bookmark',
  bookmarkId: 'k1',
  undoPointId: null,
  templateVersion: 'v1',
  createdAt: AT,
} as Point;
const bookmark = {
  id: 'k1',
  pointId: 'p1',
  name: 'edge cases',
  description: 'rows for the test',
  tags: ['qa'],
  bugRef: 'BUG-1',
  creatorId: 'u1',
  visibility: 'users',
  sharedWith: ['u2'],
  expiresAt: null,
  protected: true,
} as unknown as Bookmark;

function ds(datasetName: string, properties: Record<string, string> = {}): InventoryDataset {
  return {
    name: datasetName,
    type: datasetName.includes('@') ? 'snapshot' : 'filesystem',
    origin: null,
    usedBytes: 0,
    referencedBytes: 0,
    userrefs: 0,
    properties,
  };
}

function inventory(catalogs: Record<string, string> = {}): AgentInventory {
  const at = (n: string, props: Record<string, string> = {}) =>
    ds(n, { ...props, ...(catalogs[n] ? { catalog: catalogs[n] } : {}) });
  return {
    root: ROOT,
    datasets: [
      at(`${ROOT}/templates/t1`, { kind: 'template' }),
      at(`${ROOT}/templates/t1@v1`),
      at(C, { kind: 'container' }),
      at(`${C}/b1`, { kind: 'branch', generation: 'g0' }),
      at(`${C}/b1/g0`, { kind: 'generation' }),
      at(`${C}/b1/g0@p1`),
    ],
    instances: [],
  };
}

const rows: MirrorRows = {
  templates: [{ template, sources: [source], versions: [version] }],
  containers: [{ container, branches: [branch], points: [point], bookmarks: [bookmark] }],
};

describe('catalog records', () => {
  it('keep a template without the source password, and leave defaults out', () => {
    expect(templateRecord(template, [source], name)).toEqual({
      v: 1,
      name: 'shop',
      creator: 'admin',
      sources: [
        {
          id: 's1',
          name: 'app-db',
          kind: 'postgres',
          url: 'postgres://app@db.internal:5432/shop?sslmode=require',
        },
      ],
    });
  });

  it('remove passwords from key=value connection strings too', () => {
    expect(withoutPassword("host=db user=app password='a b' dbname=shop")).toBe(
      'host=db user=app dbname=shop',
    );
    expect(withoutPassword('postgres://app@db/shop?password=x')).toBe('postgres://app@db/shop');
  });

  it('leave out hooks that do not fit, and say so', () => {
    const long = { ...template, hooks: { afterIngestShell: 'x'.repeat(9000) } } as Template;
    const record = templateRecord(long, [source], name);
    expect(record.hooks).toBeUndefined();
    expect(record.hooksOmitted).toBe(true);
  });

  it('name owners, creators and sharing by username', () => {
    expect(containerRecord(container, name).owners).toEqual(['alice', 'bob']);
    expect(pointRecord(point, bookmark, name)).toEqual({
      v: 1,
      type: 'bookmark',
      createdAt: AT.toISOString(),
      templateVersion: 'v1',
      bookmark: {
        id: 'k1',
        name: 'edge cases',
        description: 'rows for the test',
        tags: ['qa'],
        bugRef: 'BUG-1',
        creator: 'alice',
        visibility: 'users',
        sharedWith: ['bob'],
        protected: true,
      },
    });
  });

  it('shorten a bookmark description until the record fits', () => {
    const long = { ...bookmark, description: 'é"\n'.repeat(3000) } as Bookmark;
    const record = pointRecord(point, long, name);
    const bytes = Buffer.byteLength(encodeRecord(record));
    expect(bytes).toBeLessThanOrEqual(MAX_CATALOG_RECORD_BYTES);
    expect(bytes).toBeGreaterThan(MAX_CATALOG_RECORD_BYTES - 500);
    expect(record.bookmark!.description!.endsWith('…')).toBe(true);
    expect(readPointRecord(encodeRecord(record))?.bookmark?.name).toBe('edge cases');
  });
});

describe('mirrorWrites', () => {
  it('writes every record a host lacks, at the dataset or snapshot of its object', () => {
    const { writes } = mirrorWrites(readHostState(inventory()), rows, name);
    expect(writes.map((w) => w.target)).toEqual([
      { kind: 'template', templateId: 't1' },
      { kind: 'template-version', templateId: 't1', version: 'v1' },
      { kind: 'container', containerId: 'c1' },
      { kind: 'branch', containerId: 'c1', branchId: 'b1' },
      { kind: 'point', containerId: 'c1', branchId: 'b1', pointId: 'p1' },
    ]);
  });

  it('writes nothing when the host holds the same records (in any key order)', () => {
    const { writes } = mirrorWrites(readHostState(inventory()), rows, name);
    const stored = Object.fromEntries(
      writes.map((w, i) => {
        const reversed = Object.fromEntries(Object.entries(w.record).reverse());
        return [inventory().datasets[[0, 1, 2, 3, 5][i]!]!.name, JSON.stringify(reversed)];
      }),
    );
    expect(mirrorWrites(readHostState(inventory(stored)), rows, name).writes).toEqual([]);
  });

  it('writes only what changed, and nothing for objects the host lacks', () => {
    const first = mirrorWrites(readHostState(inventory()), rows, name).writes;
    const stored = Object.fromEntries(
      first.map((w, i) => [
        inventory().datasets[[0, 1, 2, 3, 5][i]!]!.name,
        JSON.stringify(w.record),
      ]),
    );
    const renamed: MirrorRows = {
      ...rows,
      containers: [
        {
          container: { ...container, name: 'qa-renamed' } as Container,
          branches: [branch, { ...branch, id: 'b9' } as Branch],
          points: [point],
          bookmarks: [bookmark],
        },
      ],
    };
    const { writes } = mirrorWrites(readHostState(inventory(stored)), renamed, name);
    expect(writes).toEqual([
      {
        target: { kind: 'container', containerId: 'c1' },
        record: { v: 1, name: 'qa-renamed', templateId: 't1', owners: ['alice', 'bob'] },
      },
    ]);
  });
});
