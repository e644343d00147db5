import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One admin-configured setting: a JSON value under a key (e.g. `expiry`). */
@Entity('setting')
export class Setting {
  @PrimaryColumn({ type: 'varchar', length: 64 }) key!: string;
  @Column({ type: 'jsonb' }) value!: unknown;
  @Column({ type: 'uuid', nullable: true }) updatedById!: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
