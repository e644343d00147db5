import type { SourceKind } from '@branchpoint/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One database of a template. Its id names its datasets on the agent; its name is for people. */
@Entity('template_source')
@Index(['templateId', 'name'], { unique: true })
export class TemplateSource {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') templateId!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: SourceKind;
  /** Holds the source's credentials (a directory source: its path): never part of an answer. */
  @Column({ type: 'text' }) connectionString!: string;
  @Column('int') position!: number;
}
