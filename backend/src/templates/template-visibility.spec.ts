import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../common/current-user.js';
import { SecretBox } from '../common/secret-box.js';
import type { TemplateSource } from '../database/entities/template-source.entity.js';
import type { TemplateVersion } from '../database/entities/template-version.entity.js';
import type { Template } from '../database/entities/template.entity.js';
import { TemplatesService } from './templates.service.js';

const admin: CurrentUser = { id: 'root', username: 'admin', role: 'admin' };
const user: CurrentUser = { id: 'u1', username: 'dev', role: 'user' };
const secrets = new SecretBox([randomBytes(32)]);

const template = {
  id: 't1',
  name: 'app',
  hostId: 'h1',
  createdById: 'root',
  hooks: { afterStart: ["UPDATE app_users SET password_hash = 'masked'"] },
  ownerSuperuser: false,
  keepRoles: [],
  createdAt: new Date(0),
} as unknown as Template;
const source = {
  id: 's1',
  templateId: 't1',
  name: 'app-db',
  kind: 'postgres',
  connectionString: secrets.seal('postgres://app:source-secret@db.internal:5432/app'),
  position: 0,
} as TemplateSource;
const versions = [
  { id: 'v1', version: 'v1', state: 'failed', error: 'could not connect to db.internal' },
  { id: 'v2', version: 'v2', state: 'ready', error: null },
].map((v) => ({ ...v, templateId: 't1', createdAt: new Date(0) })) as unknown as TemplateVersion[];

function service(): TemplatesService {
  // A list reads one page through a query builder; here every row is that page.
  const page = <T>(list: T[]) => ({
    alias: 'x',
    orderBy: () => page(list),
    addOrderBy: () => page(list),
    limit: () => page(list),
    getMany: async () => list,
  });
  const rows = <T>(list: T[]) => ({
    find: async () => list,
    findOneBy: async () => list[0],
    createQueryBuilder: () => page(list),
  });
  return new TemplatesService(
    rows([template]) as never,
    rows([source]) as never,
    rows(versions) as never,
    {} as never,
    {} as never,
    {} as never,
    {} as never,
    {} as never,
    secrets,
    { describe: async () => [] } as never,
  );
}

describe('what users see of a template', () => {
  it('admins: hooks, each source without its password, and ingest errors', async () => {
    const detail = await service().get(admin, 't1');
    expect(detail.hooks).toEqual(template.hooks);
    expect(detail.sources).toEqual([
      {
        id: 's1',
        name: 'app-db',
        kind: 'postgres',
        connectionString: 'postgres://app@db.internal:5432/app',
      },
    ]);
    expect(detail.versions.map((v) => v.error)).toEqual(['could not connect to db.internal', null]);
  });

  it('everyone else: names, kinds and version states, nothing of where or what failed', async () => {
    const [listed] = (await service().list(user, {})).items;
    const detail = await service().get(user, 't1');
    for (const dto of [listed, detail]) {
      const json = JSON.stringify(dto);
      expect(json).not.toMatch(/hooks|connectionString|"error"|db\.internal|source-secret|masked/);
    }
    expect(detail.versions.map((v) => v.state)).toEqual(['failed', 'ready']);
    expect(listed!.latestVersion?.version).toBe('v2');
  });
});
