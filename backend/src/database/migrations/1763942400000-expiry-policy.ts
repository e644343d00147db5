import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Expiry policy: branch expiry, `protected` and the reason a due expiry is blocked on containers,
 * branches and bookmarks, and the settings table that holds the admins' expiry policy.
 */
export class ExpiryPolicy1763942400000 implements MigrationInterface {
  name = 'ExpiryPolicy1763942400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "branch" ADD "expiresAt" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "branch" ADD "expiryWarnedAt" TIMESTAMP WITH TIME ZONE`);
    for (const table of ['container', 'branch', 'bookmark']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD "protected" boolean NOT NULL DEFAULT false`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" ADD "expiryBlockedReason" text`);
    }
    await queryRunner.query(
      `CREATE TABLE "setting" ("key" character varying(64) NOT NULL, "value" jsonb NOT NULL, "updatedById" uuid, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1c4c95d773004250c157a744d6e" PRIMARY KEY ("key"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "setting"`);
    for (const table of ['bookmark', 'branch', 'container']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "expiryBlockedReason"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "protected"`);
    }
    await queryRunner.query(`ALTER TABLE "branch" DROP COLUMN "expiryWarnedAt"`);
    await queryRunner.query(`ALTER TABLE "branch" DROP COLUMN "expiresAt"`);
  }
}
