import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Pull-request databases: per-template forge configurations, inbound events, one database per pull request. */
export class PullRequestDatabases1764950000417 implements MigrationInterface {
  name = 'PullRequestDatabases1764950000417';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pull_request_config" ("id" uuid NOT NULL, "templateId" uuid NOT NULL, "createdById" uuid NOT NULL, "forge" character varying(8) NOT NULL, "repository" character varying(256) NOT NULL, "apiUrl" character varying(2048) NOT NULL, "apiToken" text NOT NULL, "webhookSecret" text NOT NULL, "label" character varying(128), "bookmarkId" uuid NOT NULL, "target" character varying(16) NOT NULL, "containerId" uuid, "expiresIn" character varying(32), "resetOnPush" boolean NOT NULL DEFAULT false, "slackUrl" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_pull_request_config" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_30682574c770b3ac2d2d1dad0a" ON "pull_request_config" ("templateId")`,
    );
    await queryRunner.query(
      `CREATE TABLE "pull_request_database" ("id" uuid NOT NULL, "configId" uuid NOT NULL, "number" integer NOT NULL, "containerId" uuid, "branchId" uuid, "jobId" uuid, "deleted" boolean NOT NULL DEFAULT false, "commentId" character varying(64), "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_pull_request_database" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_3da15a2ef8f4392e857263db07" ON "pull_request_database" ("configId", "number")`,
    );
    await queryRunner.query(
      `CREATE TABLE "pull_request_event" ("id" uuid NOT NULL, "configId" uuid NOT NULL, "deliveryId" character varying(128) NOT NULL, "number" integer, "action" character varying(8), "labels" text array NOT NULL DEFAULT '{}', "state" character varying(16) NOT NULL, "detail" text, "commentOutcome" character varying(32), "slackOutcome" character varying(32), "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finishedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_pull_request_event" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2343b4145c9b81afb2940a4adc" ON "pull_request_event" ("configId")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_312f8a459089e9dc6d6bbb7666" ON "pull_request_event" ("configId", "deliveryId")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "pull_request_event"`);
    await queryRunner.query(`DROP TABLE "pull_request_database"`);
    await queryRunner.query(`DROP TABLE "pull_request_config"`);
  }
}
