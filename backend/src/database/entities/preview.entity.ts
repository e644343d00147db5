import type { SourceKind } from '@branchpoint/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type PreviewState = 'creating' | 'ready' | 'failed';

/** Where a preview's read-only server of one source listens (the password is the preview's). */
export interface PreviewEndpoint {
  sourceId: string;
  source: string;
  /** The source's engine; rows written before engines other than PostgreSQL had none. */
  kind?: SourceKind;
  host: string;
  port: number;
  database: string | null;
  username: string;
}

/**
 * A point served read-only for a limited time (a clone on the point's host). The row exists
 * from the request on, so the sweep can destroy on the host whatever outlives its time.
 */
@Entity('preview')
export class Preview {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_preview' }) id!: string;
  @Index('IDX_preview_userId') @Column('uuid') userId!: string;
  @Column('uuid') hostId!: string;
  @Column('uuid') containerId!: string;
  @Column('uuid') branchId!: string;
  @Column('uuid') pointId!: string;
  @Column({ type: 'uuid', nullable: true }) bookmarkId!: string | null;
  @Column({ type: 'varchar', length: 16 }) state!: PreviewState;
  /** The reader role's password, sealed (SecretBox). */
  @Column('text') password!: string;
  @Column({ type: 'jsonb', default: () => "'[]'" }) endpoints!: PreviewEndpoint[];
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Index('IDX_preview_expiresAt') @Column({ type: 'timestamptz' }) expiresAt!: Date;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
