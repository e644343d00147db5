import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isSealed, type SecretBox } from '../../common/secret-box.js';
import { secretBoxOf } from '../migration-secrets.js';

/** Columns whose credentials the control plane reads back, sealed with BP_SECRET_KEY (SecretBox). */
const SEALED_COLUMNS = [
  ['container', 'password'],
  ['template_source', 'connectionString'],
] as const;

/**
 * Clone passwords and source connection strings were stored in plaintext: they are sealed
 * now, like agent tokens, so the metadata database (or a backup of it) alone does not give
 * them away. Down opens them again for a control plane that does not know sealed values.
 */
export class SealStoredSecrets1764400000000 implements MigrationInterface {
  name = 'SealStoredSecrets1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rewrite(
      queryRunner,
      (value) => !isSealed(value),
      (secrets, value) => secrets.seal(value),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rewrite(queryRunner, isSealed, (secrets, value) => secrets.open(value));
  }
}

/** Rewrites every value `pick` selects; without a key, any such value fails the migration. */
async function rewrite(
  queryRunner: QueryRunner,
  pick: (value: string) => boolean,
  change: (secrets: SecretBox, value: string) => string,
): Promise<void> {
  const secrets = secretBoxOf(queryRunner);
  for (const [table, column] of SEALED_COLUMNS) {
    const rows = (await queryRunner.query(
      `SELECT "id", "${column}" AS "value" FROM "${table}"`,
    )) as { id: string; value: string }[];
    for (const row of rows.filter((r) => pick(r.value))) {
      if (!secrets)
        throw new Error(`${table}.${column} holds values to rewrite: BP_SECRET_KEY is needed`);
      await queryRunner.query(`UPDATE "${table}" SET "${column}" = $1 WHERE "id" = $2`, [
        change(secrets, row.value),
        row.id,
      ]);
    }
  }
}
