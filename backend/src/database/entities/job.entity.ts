import type { JobName, JobState } from '@branchpoint/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The persisted history of an operation; the queue only carries it while it runs. */
// The list page's order (migration 1764900000000-page-indexes: an expression TypeORM cannot state).
@Index('IDX_job_container_page', { synchronize: false })
@Index('IDX_job_user_page', { synchronize: false })
@Entity('job')
export class JobRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 64 }) type!: JobName;
  @Index() @Column({ type: 'uuid', nullable: true }) containerId!: string | null;
  @Column({ type: 'uuid', nullable: true }) templateId!: string | null;
  @Column('uuid') userId!: string;
  @Index() @Column({ type: 'varchar', length: 16 }) state!: JobState;
  @Column({ type: 'int', default: 0 }) progress!: number;
  /** Handler starts so far: retries after a lost agent or database, and runs after a crash. */
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ type: 'jsonb', nullable: true }) result!: Record<string, unknown> | null;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  /** What the job did: its steps and the output of hooks; capped (see appendToLog). */
  @Column({ type: 'jsonb', default: () => "'[]'" }) log!: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) startedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}
