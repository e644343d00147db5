import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed-in browser or client: its access tokens name it (`sid`), so ending the session
 * (logout, a password change, a disabled account) ends them at once. Only hashes of its
 * refresh tokens are stored; each refresh replaces the token.
 */
@Entity('session')
export class Session {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') userId!: string;
  /** sha256 of the refresh token that may be used next. */
  @Column({ type: 'varchar', length: 64, unique: true }) refreshHash!: string;
  /** sha256 of the token the last refresh replaced: seen again, it was copied, and the session ends. */
  @Index() @Column({ type: 'varchar', length: 64, nullable: true }) previousRefreshHash!:
    string | null;
  @Column({ type: 'varchar', length: 64 }) clientAddress!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) refreshedAt!: Date;
  /** The refresh token is refused after this; each refresh moves it on. */
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
}
