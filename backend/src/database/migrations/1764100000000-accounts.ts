import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts a company can manage: sessions with rotating refresh tokens (so access tokens can
 * be ended), disabled users, and API tokens that expire (existing ones in 90 days).
 */
export class Accounts1764100000000 implements MigrationInterface {
  name = 'Accounts1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "session" ("id" uuid NOT NULL, "userId" uuid NOT NULL, "refreshHash" character varying(64) NOT NULL, "previousRefreshHash" character varying(64), "clientAddress" character varying(64) NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "refreshedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "expiresAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_cce6d5458d270d6291e341eda73" UNIQUE ("refreshHash"), CONSTRAINT "PK_f55da76ac1c3ac420f444d2ff11" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3d2f174ef04fb312fdebd0ddc5" ON "session" ("userId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2677c9bdcd258daad85142d552" ON "session" ("previousRefreshHash") `,
    );
    await queryRunner.query(`ALTER TABLE "user" ADD "disabledAt" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "api_token" ADD "expiresAt" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE "api_token" SET "expiresAt" = now() + interval '90 days' WHERE "expiresAt" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "api_token" ALTER COLUMN "expiresAt" SET NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_token" DROP COLUMN "expiresAt"`);
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "disabledAt"`);
    await queryRunner.query(`DROP TABLE "session"`);
  }
}
