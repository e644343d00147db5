import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog scale (issue #12 point 5): `GET /bookmarks?q=` matches name, description and bug
 * reference with ILIKE '%…%', which no b-tree serves; trigram indexes (pg_trgm, a trusted
 * extension any database owner may create) answer it without reading every bookmark.
 */
export class BookmarkSearch1764996271217 implements MigrationInterface {
  name = 'BookmarkSearch1764996271217';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "IDX_bookmark_search" ON "bookmark" USING gin ("name" gin_trgm_ops, "description" gin_trgm_ops, "bugRef" gin_trgm_ops)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_bookmark_search"`);
  }
}
