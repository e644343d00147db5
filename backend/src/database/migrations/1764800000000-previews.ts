import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Previews: points served read-only for a limited time (backend/src/previews). */
export class Previews1764800000000 implements MigrationInterface {
  name = 'Previews1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "preview" ("id" uuid NOT NULL, "userId" uuid NOT NULL, "hostId" uuid NOT NULL, "containerId" uuid NOT NULL, "branchId" uuid NOT NULL, "pointId" uuid NOT NULL, "bookmarkId" uuid, "state" character varying(16) NOT NULL, "password" text NOT NULL, "endpoints" jsonb NOT NULL DEFAULT '[]', "error" text, "expiresAt" TIMESTAMP WITH TIME ZONE NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_preview" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_preview_userId" ON "preview" ("userId")`);
    await queryRunner.query(`CREATE INDEX "IDX_preview_expiresAt" ON "preview" ("expiresAt")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "preview"`);
  }
}
