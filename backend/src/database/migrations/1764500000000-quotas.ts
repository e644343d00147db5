import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quotas: admins' per-user overrides of the default limits (the default itself is the
 * `quotas` row of the settings table).
 */
export class Quotas1764500000000 implements MigrationInterface {
  name = 'Quotas1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_quota" ("userId" uuid NOT NULL, "containers" integer, "runningServers" integer, "branchesPerContainer" integer, "bookmarks" integer, "updatedById" uuid, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_566494c0fdac1358cdc22b95b5a" PRIMARY KEY ("userId"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_quota" ADD CONSTRAINT "FK_566494c0fdac1358cdc22b95b5a" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user_quota"`);
  }
}
