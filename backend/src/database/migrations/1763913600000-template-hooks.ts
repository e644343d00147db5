import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SQL hooks of a template (afterIngest statements that mask or clean ingested data). */
export class TemplateHooks1763913600000 implements MigrationInterface {
  name = 'TemplateHooks1763913600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "template" ADD "hooks" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "template" DROP COLUMN "hooks"`);
  }
}
