/**
 * Applies the migrations to DATABASE_URL, then prints the SQL the entities still need.
 * Exits 1 when anything is pending, so a missing migration fails CI. Usage:
 * `DATABASE_URL=... node dist/database/schema-check.js`.
 */
import { dataSourceOptions, openDataSource } from './data-source.js';

const url = process.env['DATABASE_URL'];
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const dataSource = await openDataSource(dataSourceOptions(url));
const sql = await dataSource.driver.createSchemaBuilder().log();
await dataSource.destroy();
for (const query of sql.upQueries) console.log(`${query.query};`);
process.exit(sql.upQueries.length > 0 ? 1 : 0);
