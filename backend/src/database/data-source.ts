import { DataSource, type DataSourceOptions } from 'typeorm';
import type { SecretBox } from '../common/secret-box.js';
import { ENTITIES } from './entities.js';
import { withSecretBox } from './migration-secrets.js';
import { MIGRATIONS } from './migrations/index.js';

/** Any fixed number shared by every control plane on the same metadata database. */
const MIGRATION_LOCK = 7_424_001;

/**
 * TypeORM options: never `synchronize`; migrations run through `openDataSource`, those that
 * seal stored credentials with `secrets` (null: nothing to seal, e.g. the schema check).
 */
export function dataSourceOptions(
  databaseUrl: string,
  secrets: SecretBox | null = null,
): DataSourceOptions {
  return withSecretBox(
    {
      type: 'postgres',
      url: databaseUrl,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      synchronize: false,
      logging: ['error'],
    },
    secrets,
  );
}

/**
 * Connects and applies pending migrations. Replicas starting at once take turns behind a
 * PostgreSQL advisory lock (released with its connection, also when a process dies), so the
 * second one finds nothing left to do instead of racing the first through the same DDL.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'all' });
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } catch (error) {
    // Closing the connections also drops the lock if it is still held.
    await lock.release();
    await dataSource.destroy();
    throw error;
  }
  await lock.release();
  return dataSource;
}
