import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Owner options of a template, passed to the agent when a container is made from it: whether
 * the owner role is a superuser (off, as agents now make it by default) and which source roles
 * keep their login on the clones (none).
 */
export class TemplateOwnerOptions1763985600000 implements MigrationInterface {
  name = 'TemplateOwnerOptions1763985600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "template" ADD "ownerSuperuser" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `ALTER TABLE "template" ADD "keepRoles" text array NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "template" DROP COLUMN "keepRoles"`);
    await queryRunner.query(`ALTER TABLE "template" DROP COLUMN "ownerSuperuser"`);
  }
}
