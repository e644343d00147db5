import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type DiffState = 'queued' | 'running' | 'succeeded' | 'failed' | 'stopped';

/** One side of a diff: what was asked (a bookmark, point or branch id) and the point it names. */
export interface DiffSide {
  /** The id given: a bookmark's, a point's or a branch's. */
  ref: string;
  containerId: string;
  branchId: string;
  pointId: string;
  bookmarkId: string | null;
  /** A branch's head: the job takes point `pointId` of the branch first. */
  snapshot?: boolean;
}

/**
 * A comparison of two points of one template, computed by job compute-diff on read-only
 * clones of both (previews); deleting the row cancels a running computation.
 */
@Entity('diff')
export class Diff {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_diff' }) id!: string;
  @Index('IDX_diff_userId') @Column('uuid') userId!: string;
  @Column('uuid') templateId!: string;
  @Column('jsonb') from!: DiffSide;
  @Column('jsonb') to!: DiffSide;
  @Column({ type: 'varchar', length: 16 }) state!: DiffState;
  @Column('int') progress!: number;
  /** The DiffResult of compute/compute-diff.ts once done (partial when stopped). */
  @Column({ type: 'jsonb', nullable: true }) result!: Record<string, unknown> | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
