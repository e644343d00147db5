import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type Visibility = 'private' | 'users' | 'everyone';

// The list page's order (migration 1764900000000-page-indexes: an expression TypeORM cannot state).
@Index('IDX_bookmark_page', { synchronize: false })
// `?q=` search: trigram indexes (migration 1764996271217-bookmark-search).
@Index('IDX_bookmark_search', { synchronize: false })
@Entity('bookmark')
export class Bookmark {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') containerId!: string;
  @Column('uuid') branchId!: string;
  @Column('uuid') pointId!: string;
  @Column({ type: 'varchar', length: 128 }) name!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tags!: string[];
  @Column({ type: 'varchar', length: 128, nullable: true }) bugRef!: string | null;
  @Column('uuid') creatorId!: string;
  @Column({ type: 'varchar', length: 16, default: 'private' }) visibility!: Visibility;
  @Column({ type: 'uuid', array: true, default: () => "'{}'" }) sharedWith!: string[];
  @Column({ type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  /** When the owners were warned of the coming expiry (once). */
  @Column({ type: 'timestamptz', nullable: true }) expiryWarnedAt!: Date | null;
  /** Never warned about nor expired, whatever `expiresAt` says. */
  @Column({ type: 'boolean', default: false }) protected!: boolean;
  /** Why the expiry sweep could not delete it although it expired; null when nothing blocks. */
  @Column({ type: 'text', nullable: true }) expiryBlockedReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
