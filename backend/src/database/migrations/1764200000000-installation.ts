import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The installation id, made once and kept in the settings table (`installation` row): every
 * dataset this control plane has an agent create carries it, and it never touches datasets of
 * another. Hosts remember their agent's own identity (`agentId`): one agent, one host.
 */
export class Installation1764200000000 implements MigrationInterface {
  name = 'Installation1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "setting" ("key", "value") VALUES ('installation', jsonb_build_object('id', gen_random_uuid()::text)) ON CONFLICT ("key") DO NOTHING`,
    );
    await queryRunner.query(`ALTER TABLE "host" ADD "agentId" character varying(64)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_host_agent_id" ON "host" ("agentId") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_host_agent_id"`);
    await queryRunner.query(`ALTER TABLE "host" DROP COLUMN "agentId"`);
    await queryRunner.query(`DELETE FROM "setting" WHERE "key" = 'installation'`);
  }
}
