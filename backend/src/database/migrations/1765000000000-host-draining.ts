import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Moving and draining (issue #13 point 4): a drained host takes no new containers. */
export class HostDraining1765000000000 implements MigrationInterface {
  name = 'HostDraining1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "host" ADD "draining" boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "host" DROP COLUMN "draining"`);
  }
}
