import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The template version belongs to the data, not to the container: every point records the
 * version its data derives from, every branch the version of its current data, and the
 * container shows its active branch's. `container.templateVersion` goes, so that restore,
 * undo, reset and branches no longer leave a stale second answer behind.
 *
 * Existing points and branches get their container's version: the only one that was kept.
 * Rows whose container is gone (none should be) get v1, the version every template starts with.
 */
export class VersionOfData1763960400000 implements MigrationInterface {
  name = 'VersionOfData1763960400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['branch', 'point']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD "templateVersion" character varying(32) NOT NULL DEFAULT 'v1'`,
      );
      await queryRunner.query(
        `UPDATE "${table}" t SET "templateVersion" = c."templateVersion" FROM "container" c WHERE c."id" = t."containerId"`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "templateVersion" DROP DEFAULT`);
    }
    await queryRunner.query(`ALTER TABLE "container" DROP COLUMN "templateVersion"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "container" ADD "templateVersion" character varying(32) NOT NULL DEFAULT 'v1'`,
    );
    // The active branch's version, or while none is active the first branch's: what the API showed.
    await queryRunner.query(
      `UPDATE "container" c SET "templateVersion" = b."templateVersion" FROM "branch" b
       WHERE b."id" = (SELECT s."id" FROM "branch" s WHERE s."containerId" = c."id"
                       ORDER BY s."id" = c."activeBranchId" DESC NULLS LAST, s."createdAt" LIMIT 1)`,
    );
    await queryRunner.query(`ALTER TABLE "container" ALTER COLUMN "templateVersion" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "point" DROP COLUMN "templateVersion"`);
    await queryRunner.query(`ALTER TABLE "branch" DROP COLUMN "templateVersion"`);
  }
}
