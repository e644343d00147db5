import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '../../common/current-user.js';

@Entity('user')
export class User {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 64, unique: true }) username!: string;
  @Column({ type: 'varchar' }) passwordHash!: string;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  /** A disabled user cannot sign in; their sessions and API tokens stop working at once. */
  @Column({ type: 'timestamptz', nullable: true }) disabledAt!: Date | null;
}
