import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Hooks the agent runs on each postgres source: after ingest (before the snapshot), after a
 * container's server starts; SQL statements first, then a shell script.
 */
export interface TemplateHooks {
  afterIngest?: string[];
  afterStart?: string[];
  afterIngestShell?: string;
  afterStartShell?: string;
}

@Entity('template')
export class Template {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 128, unique: true }) name!: string;
  @Column('uuid') hostId!: string;
  @Column('uuid') createdById!: string;
  @Column({ type: 'jsonb', default: {} }) hooks!: TemplateHooks;
  /** Containers made from it get an owner role that is a database superuser (admins only). */
  @Column({ type: 'boolean', default: false }) ownerSuperuser!: boolean;
  /** Source roles that may still log in to its clones, with the container's password. */
  @Column({ type: 'text', array: true, default: () => "'{}'" }) keepRoles!: string[];
  /**
   * Hosts an admin pinned the template's new containers to (placement chooses among those of
   * them it is available on); null (or absent, in rows recovery rebuilds): any host it is
   * available on.
   */
  @Column({ type: 'uuid', array: true, nullable: true }) placementHostIds?: string[] | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
