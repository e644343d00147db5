import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A host name or address range an admin lets webhooks reach although the outbound fence would
 * refuse it (loopback, private, link-local, metadata, …). `entry` is canonical: `10.0.0.0/8`,
 * `fd00::/16`, `hooks.internal`, `*.corp.example`.
 */
@Entity('outbound_rule')
export class OutboundRule {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 260, unique: true }) entry!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) note!: string | null;
  @Column({ type: 'uuid', nullable: true }) createdById!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
