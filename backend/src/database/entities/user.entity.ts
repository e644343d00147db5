import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../../common/current-user.js';

@Entity('user')
// One account per identity at a provider; local accounts (both null) are not compared.
@Index('UQ_user_oidc_identity', ['oidcIssuer', 'oidcSubject'], { unique: true })
export class User {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 64, unique: true }) username!: string;
  @Column({ type: 'varchar' }) passwordHash!: string;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  /** A disabled user cannot sign in; their sessions and API tokens stop working at once. */
  @Column({ type: 'timestamptz', nullable: true }) disabledAt!: Date | null;
  /** The OpenID Connect provider (issuer) of a user who signs in with single sign-on; null: local. */
  @Column({ type: 'varchar', nullable: true }) oidcIssuer!: string | null;
  /** The user's subject (`sub`) at that provider: their lasting identity, unlike their username. */
  @Column({ type: 'varchar', nullable: true }) oidcSubject!: string | null;
}
