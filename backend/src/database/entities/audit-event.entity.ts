import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

// The list page's order (migration 1764900000000-page-indexes: an expression TypeORM cannot state).
@Index('IDX_audit_event_page', { synchronize: false })
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
