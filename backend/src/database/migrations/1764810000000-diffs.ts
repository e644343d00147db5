import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Diffs: comparisons of two points of a template (backend/src/diffs). */
export class Diffs1764810000000 implements MigrationInterface {
  name = 'Diffs1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "diff" ("id" uuid NOT NULL, "userId" uuid NOT NULL, "templateId" uuid NOT NULL, "from" jsonb NOT NULL, "to" jsonb NOT NULL, "state" character varying(16) NOT NULL, "progress" integer NOT NULL, "result" jsonb, "error" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_diff" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_diff_userId" ON "diff" ("userId")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "diff"`);
  }
}
