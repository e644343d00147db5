import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhooks and their delivery history. */
export class Webhooks1763928000000 implements MigrationInterface {
  name = 'Webhooks1763928000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook" ("id" uuid NOT NULL, "userId" uuid NOT NULL, "url" character varying(2048) NOT NULL, "format" character varying(8) NOT NULL, "events" text array NOT NULL, "scope" character varying(8) NOT NULL DEFAULT 'user', "secret" character varying(128) NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e6765510c2d078db49632b59020" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f272c8c8805969e6a6449c77b3" ON "webhook" ("userId")`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL, "webhookId" uuid NOT NULL, "event" character varying(32) NOT NULL, "body" text NOT NULL, "state" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT 0, "responseStatus" integer, "error" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finishedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_756f07a5beb3326ea1488192d8" ON "webhook_delivery" ("webhookId")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook"`);
  }
}
