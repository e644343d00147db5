import type { SourceKind } from '@branchpoint/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, Index } from 'typeorm';

export type ContainerState = 'creating' | 'ready' | 'failed' | 'deleting' | 'moving';

/** Whether the databases run: `idle` is stopped by the idle stop, `stopped` by an owner. */
export type ContainerServing = 'running' | 'stopped' | 'idle';

/** Where a source's database answers; fixed for the container's life. */
export interface StoredEndpoint {
  sourceId: string;
  source: string;
  host: string;
  port: number | null;
  database: string | null;
  username: string | null;
  /** The source's engine (rows from before engines were stored: postgres). */
  kind?: SourceKind;
  /** directory sources: where the active branch's copy is mounted on the host. */
  path?: string | null;
}

// The list page's order (migration 1764900000000-page-indexes: an expression TypeORM cannot state).
@Index('IDX_container_page', { synchronize: false })
@Entity('container')
export class Container {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 128 }) name!: string;
  @Column('uuid') templateId!: string;
  @Column('uuid') hostId!: string;
  @Column({ type: 'uuid', array: true }) ownerIds!: string[];
  /** The generated password of the clone databases: shown to owners only. */
  @Column({ type: 'varchar' }) password!: string;
  @Column({ type: 'uuid', nullable: true }) activeBranchId!: string | null;
  @Column({ type: 'uuid', nullable: true }) lockedById!: string | null;
  @Column({ type: 'varchar', length: 16 }) state!: ContainerState;
  @Column({ type: 'jsonb', default: () => "'[]'" }) endpoints!: StoredEndpoint[];
  /** When the container is deleted by the expiry sweep; null keeps it. */
  @Column({ type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  /** When the owners were warned of the coming expiry (once). */
  @Column({ type: 'timestamptz', nullable: true }) expiryWarnedAt!: Date | null;
  /** Never warned about nor expired, whatever `expiresAt` says. */
  @Column({ type: 'boolean', default: false }) protected!: boolean;
  /** Why the expiry sweep could not delete it although it expired; null when nothing blocks. */
  @Column({ type: 'text', nullable: true }) expiryBlockedReason!: string | null;
  @Column({ type: 'varchar', length: 16, default: 'running' }) serving!: ContainerServing;
  /** The latest client activity the idle stop has seen (agents only know about connected clients). */
  @Column({ type: 'timestamptz', nullable: true }) lastActivityAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
