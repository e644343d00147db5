import type { DataSourceOptions, QueryRunner } from 'typeorm';
import type { SecretBox } from '../common/secret-box.js';

const SECRET_BOX = Symbol('secret box for migrations');

/**
 * The data source options carrying the secret box for migrations that seal stored values (a
 * migration is made by TypeORM without arguments, so it finds the box on its connection's
 * options). `null`: no key, for a database with nothing to seal (the schema check's).
 */
export function withSecretBox<T extends DataSourceOptions>(
  options: T,
  secrets: SecretBox | null,
): T {
  return Object.assign(options, { [SECRET_BOX]: secrets });
}

/** The secret box the migration's data source was opened with, or null. */
export function secretBoxOf(queryRunner: QueryRunner): SecretBox | null {
  const options = queryRunner.connection.options as { [SECRET_BOX]?: SecretBox | null };
  return options[SECRET_BOX] ?? null;
}
