import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many times a job's handler started: a job that lost the agent, the metadata database or
 * its control plane runs again, up to a bound, and each attempt has its own operation id.
 */
export class JobAttempts1764000000000 implements MigrationInterface {
  name = 'JobAttempts1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" ADD "attempts" integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" DROP COLUMN "attempts"`);
  }
}
