import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agents speak HTTPS with a certificate the control plane pins per host. Hosts registered
 * before keep a null pin, and the agent client refuses them until an admin edits the host
 * (PATCH /hosts/:id with its https URL), which pins what the agent presents then.
 */
export class AgentCertificate1763971200000 implements MigrationInterface {
  name = 'AgentCertificate1763971200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "host" ADD "certificateFingerprint" character varying(95)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "host" DROP COLUMN "certificateFingerprint"`);
  }
}
