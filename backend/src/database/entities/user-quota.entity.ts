import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from './user.entity.js';

/**
 * An admin's override of the default quotas for one user; a null limit follows the default
 * (`GET /settings/quotas`). Deleted with the user.
 */
@Entity('user_quota')
export class UserQuota {
  @PrimaryColumn('uuid') userId!: string;
  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;
  @Column({ type: 'int', nullable: true }) containers!: number | null;
  @Column({ type: 'int', nullable: true }) runningServers!: number | null;
  @Column({ type: 'int', nullable: true }) branchesPerContainer!: number | null;
  @Column({ type: 'int', nullable: true }) bookmarks!: number | null;
  @Column({ type: 'uuid', nullable: true }) updatedById!: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
