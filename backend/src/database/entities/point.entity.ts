import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type PointType =
  'created' | 'bookmark' | 'restore' | 'reset' | 'refresh' | 'undo' | 'snapshot' | 'settings';

/** Every point type, for the API's enum. */
export const POINT_TYPES: readonly PointType[] = [
  'created',
  'bookmark',
  'restore',
  'reset',
  'refresh',
  'undo',
  'snapshot',
  'settings',
];

/** A timeline point: one atomic snapshot of all the branch's datasets. */
// The list page's order (migration 1764900000000-page-indexes: an expression TypeORM cannot state).
@Index('IDX_point_branch_page', { synchronize: false })
@Entity('point')
export class Point {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') branchId!: string;
  @Column('uuid') containerId!: string;
  @Column({ type: 'varchar', length: 16 }) type!: PointType;
  @Column({ type: 'uuid', nullable: true }) bookmarkId!: string | null;
  /** For restore/reset/refresh/undo/settings: the point taken just before, which undo returns to. */
  @Column({ type: 'uuid', nullable: true }) undoPointId!: string | null;
  /** The template version the point's data derives from (what a branch or restore from it gets). */
  @Column({ type: 'varchar', length: 32 }) templateVersion!: string;
  /** Set explicitly (not by the database) so the order of points is the order of operations. */
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}
