import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on: a user may be tied to an identity at an OpenID Connect provider (issuer and
 * subject, unique together). Such users have no local password (an empty passwordHash).
 */
export class SingleSignOn1764600000000 implements MigrationInterface {
  name = 'SingleSignOn1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user" ADD "oidcIssuer" character varying`);
    await queryRunner.query(`ALTER TABLE "user" ADD "oidcSubject" character varying`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_user_oidc_identity" ON "user" ("oidcIssuer", "oidcSubject") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_user_oidc_identity"`);
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "oidcSubject"`);
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "oidcIssuer"`);
  }
}
