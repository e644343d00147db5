import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, SecretBox } from '../../common/secret-box.js';
import { withSecretBox } from '../migration-secrets.js';
import { SealStoredSecrets1764400000000 } from './1764400000000-seal-stored-secrets.js';

type Rows = Record<string, { id: string; value: string }[]>;

/** A query runner over `{table: [{id, value}]}` that answers the migration's SELECT and UPDATE. */
function runner(tables: Rows, secrets: SecretBox | null) {
  const options = withSecretBox({ type: 'postgres' as const }, secrets);
  return {
    connection: { options },
    query: async (sql: string, params: string[] = []) => {
      const table = /(?:FROM|UPDATE) "(\w+)"/.exec(sql)![1]!;
      if (sql.startsWith('SELECT')) return tables[table]!.map((row) => ({ ...row }));
      const row = tables[table]!.find((r) => r.id === params[1])!;
      row.value = params[0]!;
      return [];
    },
  } as never;
}

const migration = new SealStoredSecrets1764400000000();

describe('SealStoredSecrets1764400000000', () => {
  it('seals plaintext passwords and connection strings, leaves sealed ones, and opens them going down', async () => {
    const secrets = new SecretBox([randomBytes(32)]);
    const alreadySealed = secrets.seal('sealed-before');
    const tables: Rows = {
      container: [
        { id: 'c1', value: 'clone-password' },
        { id: 'c2', value: alreadySealed },
      ],
      template_source: [{ id: 's1', value: 'postgres://app:source-secret@db/app' }],
    };
    await migration.up(runner(tables, secrets));
    expect(JSON.stringify(tables)).not.toMatch(/clone-password|source-secret/);
    expect(
      Object.values(tables)
        .flat()
        .every((row) => isSealed(row.value)),
    ).toBe(true);
    expect(tables['container']![1]!.value).toBe(alreadySealed);
    expect(secrets.open(tables['template_source']![0]!.value)).toBe(
      'postgres://app:source-secret@db/app',
    );

    await migration.down(runner(tables, secrets));
    expect(tables['container']!.map((row) => row.value)).toEqual([
      'clone-password',
      'sealed-before',
    ]);
    expect(tables['template_source']![0]!.value).toBe('postgres://app:source-secret@db/app');
  });

  it('needs no key where nothing is stored, and names BP_SECRET_KEY where something is', async () => {
    await expect(
      migration.up(runner({ container: [], template_source: [] }, null)),
    ).resolves.toBeUndefined();
    await expect(
      migration.up(runner({ container: [{ id: 'c1', value: 'pw' }], template_source: [] }, null)),
    ).rejects.toThrow(/container\.password .*BP_SECRET_KEY/);
  });
});
