import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Host } from './host.entity.js';
import { Template } from './template.entity.js';

/**
 * `replicating`: a version is being sent there (the host serves `versionNumber`, if any, until
 * it arrives); `ready`: the host holds `versionNumber` and containers may be made there;
 * `failed`: the last send failed (`error`), the host still holds `versionNumber`, if any;
 * `removing`: its datasets are being destroyed there.
 */
export type TemplateHostState = 'replicating' | 'ready' | 'failed' | 'removing';

/**
 * A host, other than the template's origin host (`template.hostId`, where it is ingested), that
 * an admin made the template available on: its versions arrive there by `zfs send`/`receive`.
 * Deleted with the template or the host.
 */
@Entity('template_host')
export class TemplateHost {
  @PrimaryColumn('uuid') templateId!: string;
  @PrimaryColumn('uuid') hostId!: string;
  @ManyToOne(() => Template, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'templateId' })
  template?: Template;
  @ManyToOne(() => Host, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hostId' })
  host?: Host;
  /** The newest version the host holds (`v<number>`), null before the first one arrived. */
  @Column({ type: 'int', nullable: true }) versionNumber!: number | null;
  @Column({ type: 'varchar', length: 16 }) state!: TemplateHostState;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
