import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Template.placementHostIds: the hosts an admin pinned a template's new containers to. */
export class TemplatePlacement1764910000000 implements MigrationInterface {
  name = 'TemplatePlacement1764910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "template" ADD "placementHostIds" uuid array`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "template" DROP COLUMN "placementHostIds"`);
  }
}
