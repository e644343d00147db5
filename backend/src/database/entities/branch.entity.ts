import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type BranchState = 'creating' | 'ready' | 'failed' | 'deleting';

@Entity('branch')
@Index(['containerId', 'name'], { unique: true })
export class Branch {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') containerId!: string;
  @Column({ type: 'varchar', length: 128 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) state!: BranchState;
  /** The template version its current data derives from; the container shows its active branch's. */
  @Column({ type: 'varchar', length: 32 }) templateVersion!: string;
  /** The point this branch was cloned from, if any: its data depends on that point. */
  @Index() @Column({ type: 'uuid', nullable: true }) originPointId!: string | null;
  @Column({ type: 'uuid', nullable: true }) originContainerId!: string | null;
  @Column({ type: 'uuid', nullable: true }) originBookmarkId!: string | null;
  @Column('uuid') createdById!: string;
  /** When the expiry sweep deletes the branch; null keeps it. */
  @Column({ type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  /** When the owners were warned of the coming expiry (once). */
  @Column({ type: 'timestamptz', nullable: true }) expiryWarnedAt!: Date | null;
  /** Never warned about nor expired, whatever `expiresAt` says. */
  @Column({ type: 'boolean', default: false }) protected!: boolean;
  /** Why the expiry sweep could not delete it although it expired; null when nothing blocks. */
  @Column({ type: 'text', nullable: true }) expiryBlockedReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
