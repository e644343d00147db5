import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { OutboundOutcome } from '../../common/outbound-address.js';

/** What a pull request's event asks for, in either forge's terms. */
export type PullRequestAction = 'open' | 'label' | 'push' | 'close';
export type PullRequestEventState = 'pending' | 'succeeded' | 'failed' | 'ignored';

/** One inbound forge webhook: recorded once per delivery id, then handled in the background. */
@Entity('pull_request_event')
@Index(['configId', 'deliveryId'], { unique: true })
export class PullRequestEvent {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') configId!: string;
  /** The forge's delivery id (X-GitHub-Delivery, X-Gitlab-Event-UUID), or the body's hash. */
  @Column({ type: 'varchar', length: 128 }) deliveryId!: string;
  /** null for an event ignored before its pull request was read. */
  @Column({ type: 'int', nullable: true }) number!: number | null;
  @Column({ type: 'varchar', length: 8, nullable: true }) action!: PullRequestAction | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) labels!: string[];
  @Column({ type: 'varchar', length: 16 }) state!: PullRequestEventState;
  /** Why it was ignored or failed, or what was done. */
  @Column({ type: 'text', nullable: true }) detail!: string | null;
  /** The last comment call's outcome category; null when none was made. */
  @Column({ type: 'varchar', length: 32, nullable: true }) commentOutcome!: OutboundOutcome | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) slackOutcome!: OutboundOutcome | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}
