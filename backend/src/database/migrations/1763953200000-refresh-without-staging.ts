import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh restores the active branch straight from the template version, so no branch is hidden
 * any more: `branch.internal` goes. The staging branches earlier refreshes made are forgotten
 * with their points; nothing showed or used them, and their datasets stay on the agent (the
 * active branch's generations were cloned from them) until their container is deleted.
 */
export class RefreshWithoutStaging1763953200000 implements MigrationInterface {
  name = 'RefreshWithoutStaging1763953200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "point" WHERE "branchId" IN (SELECT "id" FROM "branch" WHERE "internal")`,
    );
    await queryRunner.query(`DELETE FROM "branch" WHERE "internal"`);
    await queryRunner.query(`ALTER TABLE "branch" DROP COLUMN "internal"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The forgotten staging branches do not come back; their datasets were never touched.
    await queryRunner.query(`ALTER TABLE "branch" ADD "internal" boolean NOT NULL DEFAULT false`);
  }
}
