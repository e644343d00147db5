import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { NotificationEvent } from '../../common/notification-events.js';

export type DeliveryState = 'pending' | 'succeeded' | 'failed';

/** One notification sent (or being retried) to one webhook: the exact signed body and its fate. */
@Entity('webhook_delivery')
export class WebhookDelivery {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') webhookId!: string;
  @Column({ type: 'varchar', length: 32 }) event!: NotificationEvent;
  @Column('text') body!: string;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) state!: DeliveryState;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  /** HTTP status of the last attempt; null when it got no answer. */
  @Column({ type: 'int', nullable: true }) responseStatus!: number | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}
