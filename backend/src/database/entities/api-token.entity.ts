import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A personal API token for CI; only its sha256 is stored. */
@Entity('api_token')
export class ApiToken {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') userId!: string;
  @Column({ type: 'varchar', length: 128 }) name!: string;
  @Column({ type: 'varchar', length: 64, unique: true }) tokenHash!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
  /** Refused from then on; every token expires. */
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
}
