import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rebases: a branch's changes replayed onto a newer template version (backend/src/rebase). */
export class Rebases1764990000823 implements MigrationInterface {
  name = 'Rebases1764990000823';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rebase" ("id" uuid NOT NULL, "userId" uuid NOT NULL, "containerId" uuid NOT NULL, "branchId" uuid NOT NULL, "basePointId" uuid NOT NULL, "headPointId" uuid NOT NULL, "snapshotHead" boolean NOT NULL, "baseVersion" character varying(32) NOT NULL, "targetVersion" character varying(32) NOT NULL, "newBranchId" uuid NOT NULL, "newBasePointId" uuid NOT NULL, "state" character varying(16) NOT NULL, "progress" integer NOT NULL, "result" jsonb, "error" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_rebase" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_rebase_userId" ON "rebase" ("userId")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rebase"`);
  }
}
