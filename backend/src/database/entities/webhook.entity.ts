import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { NotificationEvent } from '../../common/notification-events.js';

export type WebhookFormat = 'json' | 'slack';
/** `user`: the owner's own notifications; `admin`: every user's, and host events. */
export type WebhookScope = 'user' | 'admin';

@Entity('webhook')
export class Webhook {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') userId!: string;
  @Column({ type: 'varchar', length: 2048 }) url!: string;
  @Column({ type: 'varchar', length: 8 }) format!: WebhookFormat;
  @Column({ type: 'text', array: true }) events!: NotificationEvent[];
  @Column({ type: 'varchar', length: 8, default: 'user' }) scope!: WebhookScope;
  /** Signs every delivery; shown once at creation, kept readable because signing needs it. */
  @Column({ type: 'varchar', length: 128 }) secret!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
