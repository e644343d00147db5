import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A template may be available on hosts other than its origin (`template.hostId`): one row per
 * added host, with the newest version it holds and the state of its replication.
 */
export class TemplateHosts1764710000000 implements MigrationInterface {
  name = 'TemplateHosts1764710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "template_host" ("templateId" uuid NOT NULL, "hostId" uuid NOT NULL, "versionNumber" integer, "state" character varying(16) NOT NULL, "error" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_733813d86295bcd7e37e4ca127c" PRIMARY KEY ("templateId", "hostId"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "template_host" ADD CONSTRAINT "FK_240672bce6f06a8305d3c0cfae1" FOREIGN KEY ("templateId") REFERENCES "template"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "template_host" ADD CONSTRAINT "FK_3b5ebe65763dacdbb733bcd2326" FOREIGN KEY ("hostId") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "template_host"`);
  }
}
