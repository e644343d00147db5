import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Expiry of containers, and when owners were warned of a container's or bookmark's expiry. */
export class Expiry1763899200000 implements MigrationInterface {
  name = 'Expiry1763899200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "container" ADD "expiresAt" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "container" ADD "expiryWarnedAt" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(`ALTER TABLE "bookmark" ADD "expiryWarnedAt" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bookmark" DROP COLUMN "expiryWarnedAt"`);
    await queryRunner.query(`ALTER TABLE "container" DROP COLUMN "expiryWarnedAt"`);
    await queryRunner.query(`ALTER TABLE "container" DROP COLUMN "expiresAt"`);
  }
}
