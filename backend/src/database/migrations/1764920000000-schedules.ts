import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Schedules: containers stopped at night and started in the morning (per container or per user). */
export class Schedules1764920000000 implements MigrationInterface {
  name = 'Schedules1764920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "schedule" ("id" uuid NOT NULL, "containerId" uuid, "userId" uuid, "stop" character varying(128), "start" character varying(128), "timeZone" character varying(64) NOT NULL, "checkedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_schedule" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_schedule_containerId" ON "schedule" ("containerId")`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_schedule_userId" ON "schedule" ("userId")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "schedule"`);
  }
}
