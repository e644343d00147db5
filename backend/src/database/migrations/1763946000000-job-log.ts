import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A job's log: its steps and the output of template hooks it ran. */
export class JobLog1763946000000 implements MigrationInterface {
  name = 'JobLog1763946000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" ADD "log" jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" DROP COLUMN "log"`);
  }
}
