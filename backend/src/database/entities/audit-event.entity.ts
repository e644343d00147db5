import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('audit_event')
export class AuditEvent {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ type: 'varchar', length: 64 }) action!: string;
  @Column({ type: 'varchar', length: 32 }) entityType!: string;
  @Column({ type: 'uuid', nullable: true }) entityId!: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) details!: Record<string, unknown>;
  @Index() @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
