import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbound fence: the hosts and ranges admins allow webhooks to reach, and deliveries that
 * keep a category of what became of them instead of the receiver's exact status and the raw
 * socket error (which said too much about the network around the control plane).
 */
export class OutboundFence1764300000000 implements MigrationInterface {
  name = 'OutboundFence1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbound_rule" ("id" uuid NOT NULL, "entry" character varying(260) NOT NULL, "note" character varying(200), "createdById" uuid, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a9a057ee58ad2337df852361c60" UNIQUE ("entry"), CONSTRAINT "PK_8798e76757714743795ab6a2c7e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ADD "outcome" character varying(32)`);
    await queryRunner.query(
      `UPDATE "webhook_delivery" SET "outcome" = CASE
         WHEN "responseStatus" BETWEEN 200 AND 299 THEN 'ok'
         WHEN "responseStatus" BETWEEN 300 AND 399 THEN 'http-3xx'
         WHEN "responseStatus" BETWEEN 400 AND 499 THEN 'http-4xx'
         WHEN "responseStatus" >= 500 THEN 'http-5xx'
         WHEN "error" ILIKE '%ECONNREFUSED%' THEN 'connection-refused'
         WHEN "error" ILIKE '%ENOTFOUND%' OR "error" ILIKE '%EAI_AGAIN%' THEN 'dns-failed'
         WHEN "error" ILIKE '%timeout%' OR "error" ILIKE '%timed out%' OR "error" ILIKE '%aborted%' THEN 'timeout'
         WHEN "error" ILIKE '%certificate%' OR "error" ILIKE '%TLS%' OR "error" ILIKE '%SSL%' THEN 'tls-failed'
         WHEN "error" IS NOT NULL THEN 'connection-failed'
         WHEN "state" = 'succeeded' THEN 'ok'
       END`,
    );
    await queryRunner.query(`ALTER TABLE "webhook_delivery" DROP COLUMN "responseStatus"`);
    await queryRunner.query(`ALTER TABLE "webhook_delivery" DROP COLUMN "error"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ADD "error" text`);
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ADD "responseStatus" integer`);
    await queryRunner.query(
      `UPDATE "webhook_delivery" SET "error" = "outcome" WHERE "outcome" IS NOT NULL AND "outcome" <> 'ok'`,
    );
    await queryRunner.query(`ALTER TABLE "webhook_delivery" DROP COLUMN "outcome"`);
    await queryRunner.query(`DROP TABLE "outbound_rule"`);
  }
}
