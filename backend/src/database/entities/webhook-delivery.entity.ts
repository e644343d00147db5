import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { NotificationEvent } from '../../common/notification-events.js';
import type { OutboundOutcome } from '../../common/outbound-address.js';

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
  /**
   * What became of the last attempt, as a category (`ok`, `http-5xx`, `timeout`, …); null before
   * the first. The exact status or socket error is only logged.
   */
  @Column({ type: 'varchar', length: 32, nullable: true }) outcome!: OutboundOutcome | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}
