import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type RebaseState = 'queued' | 'running' | 'succeeded' | 'failed' | 'stopped';

/**
 * A branch's changes since its base point replayed onto a new branch of a newer template
 * version, by job rebase-branch; deleting the row cancels a running replay (the new branch,
 * with what was replayed so far, stays).
 */
@Entity('rebase')
export class Rebase {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_rebase' }) id!: string;
  @Index('IDX_rebase_userId') @Column('uuid') userId!: string;
  @Column('uuid') containerId!: string;
  /** The branch rebased (it stays as it is). */
  @Column('uuid') branchId!: string;
  /** The branch's first point: what its changes are measured from. */
  @Column('uuid') basePointId!: string;
  /** The point of the branch the changes are read from (taken by the job when the branch is active). */
  @Column('uuid') headPointId!: string;
  /** Whether the job takes the head point first (the branch is active: its data moves). */
  @Column('boolean') snapshotHead!: boolean;
  @Column({ type: 'varchar', length: 32 }) baseVersion!: string;
  @Column({ type: 'varchar', length: 32 }) targetVersion!: string;
  /** The branch made from the target version that receives the changes. */
  @Column('uuid') newBranchId!: string;
  /** Its first point (the target version as it is). */
  @Column('uuid') newBasePointId!: string;
  @Column({ type: 'varchar', length: 16 }) state!: RebaseState;
  @Column('int') progress!: number;
  /** The ReplayResult of replay/replay.ts once done. */
  @Column({ type: 'jsonb', nullable: true }) result!: Record<string, unknown> | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
