import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The database of one pull request (a container or a branch) and the one comment about it. */
@Entity('pull_request_database')
@Index(['configId', 'number'], { unique: true })
export class PullRequestDatabase {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') configId!: string;
  @Column('int') number!: number;
  /** The container made (target `container`), or the one the branch is in. */
  @Column({ type: 'uuid', nullable: true }) containerId!: string | null;
  /** target `branch`: the branch made. */
  @Column({ type: 'uuid', nullable: true }) branchId!: string | null;
  /** The last operation started for it, waited for again when its event is handled again. */
  @Column({ type: 'uuid', nullable: true }) jobId!: string | null;
  /** Deleted when the pull request closed; made again if it reopens. */
  @Column({ type: 'boolean', default: false }) deleted!: boolean;
  /** The forge's id of the comment posted, edited at each later step. */
  @Column({ type: 'varchar', length: 64, nullable: true }) commentId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
