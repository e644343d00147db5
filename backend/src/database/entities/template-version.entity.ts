import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type TemplateVersionState = 'ingesting' | 'ready' | 'failed';

/** One immutable ingest of a template's sources, `v<number>` on the agent. */
@Entity('template_version')
@Index(['templateId', 'number'], { unique: true })
export class TemplateVersion {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') templateId!: string;
  @Column('int') number!: number;
  @Column({ type: 'varchar', length: 16 }) state!: TemplateVersionState;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;

  get version(): string {
    return `v${this.number}`;
  }
}
