import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The key every paginated list is ordered by (common/pagination.ts): the creation time to the
 * millisecond, in UTC (immutable, so it can be indexed), then the id.
 */
export const PAGE_KEY = `date_trunc('milliseconds', timezone('UTC', "createdAt"))`;

/** Index name → table and columns: each list's filter columns first, then the page key. */
export const PAGE_INDEXES: Record<string, { table: string; columns: string[] }> = {
  IDX_container_page: { table: 'container', columns: [] },
  IDX_bookmark_page: { table: 'bookmark', columns: [] },
  IDX_audit_event_page: { table: 'audit_event', columns: [] },
  IDX_job_container_page: { table: 'job', columns: ['"containerId"'] },
  IDX_job_user_page: { table: 'job', columns: ['"userId"'] },
  IDX_point_branch_page: { table: 'point', columns: ['"branchId"'] },
};

/**
 * Catalog scale (issue #12 point 5): list pages and timeline pages read one index range in
 * order instead of sorting every row of the table (1,000 containers, 10,000 bookmarks,
 * 100,000 points answer a page in a few milliseconds). Entities declare these indexes with
 * `synchronize: false`: TypeORM cannot express them, and must not drop them.
 */
export class PageIndexes1764900000000 implements MigrationInterface {
  name = 'PageIndexes1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, { table, columns }] of Object.entries(PAGE_INDEXES))
      await queryRunner.query(
        `CREATE INDEX "${name}" ON "${table}" (${[...columns, PAGE_KEY, '"id"'].join(', ')})`,
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of Object.keys(PAGE_INDEXES)) await queryRunner.query(`DROP INDEX "${name}"`);
  }
}
