import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, tokens, hosts, templates, containers, branches, timeline points, bookmarks, jobs, audit. */
export class InitialSchema1763888400000 implements MigrationInterface {
  name = 'InitialSchema1763888400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" uuid NOT NULL, "userId" uuid, "action" character varying(64) NOT NULL, "entityType" character varying(32) NOT NULL, "entityId" uuid, "details" jsonb NOT NULL DEFAULT '{}', "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_33c3131edaf1292ed22c59cd88" ON "audit_event" ("userId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3a8087171dd4cc58c53430272f" ON "audit_event" ("createdAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "api_token" ("id" uuid NOT NULL, "userId" uuid NOT NULL, "name" character varying(128) NOT NULL, "tokenHash" character varying(64) NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lastUsedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_b8d5076cd3f3572829943b3f8ad" UNIQUE ("tokenHash"), CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_cbfc4e2b85b78207afb0b2d7fb" ON "api_token" ("userId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "bookmark" ("id" uuid NOT NULL, "containerId" uuid NOT NULL, "branchId" uuid NOT NULL, "pointId" uuid NOT NULL, "name" character varying(128) NOT NULL, "description" text, "tags" text array NOT NULL DEFAULT '{}', "bugRef" character varying(128), "creatorId" uuid NOT NULL, "visibility" character varying(16) NOT NULL DEFAULT 'private', "sharedWith" uuid array NOT NULL DEFAULT '{}', "expiresAt" TIMESTAMP WITH TIME ZONE, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b7fbf4a865ba38a590bb9239814" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b9e461cc48ba0f38ed412a9393" ON "bookmark" ("containerId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "branch" ("id" uuid NOT NULL, "containerId" uuid NOT NULL, "name" character varying(128) NOT NULL, "internal" boolean NOT NULL DEFAULT false, "state" character varying(16) NOT NULL, "originPointId" uuid, "originContainerId" uuid, "originBookmarkId" uuid, "createdById" uuid NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2e39f426e2faefdaa93c5961976" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_708023ebd84eaf0e9fb6a779cd" ON "branch" ("containerId") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_55f4ce665598efef33270021b2" ON "branch" ("originPointId") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_3a3ec2136f28fc4a744cc6c186" ON "branch" ("containerId", "name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "point" ("id" uuid NOT NULL, "branchId" uuid NOT NULL, "containerId" uuid NOT NULL, "type" character varying(16) NOT NULL, "bookmarkId" uuid, "undoPointId" uuid, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_391f59a9491a08961038a615371" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_dbc21e03325b97c19fdcdd8e44" ON "point" ("branchId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "container" ("id" uuid NOT NULL, "name" character varying(128) NOT NULL, "templateId" uuid NOT NULL, "hostId" uuid NOT NULL, "templateVersion" character varying(32) NOT NULL, "ownerIds" uuid array NOT NULL, "password" character varying NOT NULL, "activeBranchId" uuid, "lockedById" uuid, "state" character varying(16) NOT NULL, "endpoints" jsonb NOT NULL DEFAULT '[]', "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_74656f796df3346fa6ec89fa727" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "host" ("id" uuid NOT NULL, "name" character varying(128) NOT NULL, "url" character varying NOT NULL, "token" character varying NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'unknown', "capacity" jsonb, "lastError" text, "checkedAt" TIMESTAMP WITH TIME ZONE, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_d93daa8d96a567c9904ba530251" UNIQUE ("name"), CONSTRAINT "PK_44424c24c2f9b1d7bbf8721f4c4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "job" ("id" uuid NOT NULL, "type" character varying(64) NOT NULL, "containerId" uuid, "templateId" uuid, "userId" uuid NOT NULL, "state" character varying(16) NOT NULL, "progress" integer NOT NULL DEFAULT '0', "error" text, "result" jsonb, "payload" jsonb NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "startedAt" TIMESTAMP WITH TIME ZONE, "finishedAt" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_98ab1c14ff8d1cf80d18703b92f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_128b23c7215a13928dda0bcade" ON "job" ("containerId") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_d4ad1c50002ead62808d6c1560" ON "job" ("state") `);
    await queryRunner.query(
      `CREATE TABLE "template_source" ("id" uuid NOT NULL, "templateId" uuid NOT NULL, "name" character varying(64) NOT NULL, "kind" character varying(16) NOT NULL, "connectionString" text NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_145c3645f1cea777d525d789f8d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_d5abbbac5ca820408863252a3f" ON "template_source" ("templateId", "name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "template_version" ("id" uuid NOT NULL, "templateId" uuid NOT NULL, "number" integer NOT NULL, "state" character varying(16) NOT NULL, "error" text, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5c57453edc10a775036dd2f2124" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_eeccdaca5e5958542d9709b46b" ON "template_version" ("templateId", "number") `,
    );
    await queryRunner.query(
      `CREATE TABLE "template" ("id" uuid NOT NULL, "name" character varying(128) NOT NULL, "hostId" uuid NOT NULL, "createdById" uuid NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a62147c0d6b868e797061e142a1" UNIQUE ("name"), CONSTRAINT "PK_fbae2ac36bd9b5e1e793b957b7f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "user" ("id" uuid NOT NULL, "username" character varying(64) NOT NULL, "passwordHash" character varying NOT NULL, "role" character varying(16) NOT NULL, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_78a916df40e02a9deb1c4b75edb" UNIQUE ("username"), CONSTRAINT "PK_cace4a159ff9f2512dd42373760" PRIMARY KEY ("id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user"`);
    await queryRunner.query(`DROP TABLE "template"`);
    await queryRunner.query(`DROP TABLE "template_version"`);
    await queryRunner.query(`DROP TABLE "template_source"`);
    await queryRunner.query(`DROP TABLE "job"`);
    await queryRunner.query(`DROP TABLE "host"`);
    await queryRunner.query(`DROP TABLE "container"`);
    await queryRunner.query(`DROP TABLE "point"`);
    await queryRunner.query(`DROP TABLE "branch"`);
    await queryRunner.query(`DROP TABLE "bookmark"`);
    await queryRunner.query(`DROP TABLE "api_token"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
  }
}
