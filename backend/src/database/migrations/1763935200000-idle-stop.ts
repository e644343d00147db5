import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether a container's databases run (the idle stop), and the latest client activity seen. */
export class IdleStop1763935200000 implements MigrationInterface {
  name = 'IdleStop1763935200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "container" ADD "serving" character varying(16) NOT NULL DEFAULT 'running'`,
    );
    await queryRunner.query(
      `ALTER TABLE "container" ADD "lastActivityAt" TIMESTAMP WITH TIME ZONE`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "container" DROP COLUMN "lastActivityAt"`);
    await queryRunner.query(`ALTER TABLE "container" DROP COLUMN "serving"`);
  }
}
