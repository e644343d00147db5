import type { AgentCapacity } from '@branchpoint/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type HostStatus = 'unknown' | 'up' | 'down';

@Entity('host')
export class Host {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 128, unique: true }) name!: string;
  @Column({ type: 'varchar' }) url!: string;
  /**
   * The agent's bearer token, encrypted with BP_SECRET_KEY (see SecretBox; opened only to call
   * the agent): a credential, never part of an answer or a log.
   */
  @Column({ type: 'varchar' }) token!: string;
  /**
   * SHA-256 of the agent's TLS certificate (`AB:CD:…`), pinned at registration: the agent client
   * talks to nothing else. Null only for hosts registered before agents spoke HTTPS.
   */
  @Column({ type: 'varchar', length: 95, nullable: true }) certificateFingerprint!: string | null;
  /**
   * The agent's own identity (`branchpoint:agent-id` on its root), learnt when it first answers:
   * one agent is one host (registering it twice would make each host's datasets the other's
   * orphans). Null until then, or for an agent older than it.
   */
  @Index('IDX_host_agent_id', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  agentId!: string | null;
  @Column({ type: 'varchar', length: 16, default: 'unknown' }) status!: HostStatus;
  @Column({ type: 'jsonb', nullable: true }) capacity!: AgentCapacity | null;
  /** Takes no new containers (placement, moves): set by a drain until an admin ends it. */
  @Column({ type: 'boolean', default: false }) draining!: boolean;
  @Column({ type: 'text', nullable: true }) lastError!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) checkedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
