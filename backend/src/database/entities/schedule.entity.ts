import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * When containers stop and start (cron expressions read in a time zone): a container's own, or
 * a user's default for the containers they own without one. Exactly one of containerId/userId.
 */
@Entity('schedule')
export class Schedule {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_schedule' }) id!: string;
  @Index('IDX_schedule_containerId', { unique: true })
  @Column({ type: 'uuid', nullable: true })
  containerId!: string | null;
  @Index('IDX_schedule_userId', { unique: true })
  @Column({ type: 'uuid', nullable: true })
  userId!: string | null;
  @Column({ type: 'varchar', length: 128, nullable: true }) stop!: string | null;
  @Column({ type: 'varchar', length: 128, nullable: true }) start!: string | null;
  @Column({ type: 'varchar', length: 64 }) timeZone!: string;
  /** Occurrences up to here were acted on: the next sweep looks at those after it. */
  @Column({ type: 'timestamptz' }) checkedAt!: Date;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
