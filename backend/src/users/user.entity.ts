import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type Role = 'admin' | 'user';

@Entity('user')
export class User {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 64, unique: true }) username!: string;
  @Column({ type: 'varchar' }) passwordHash!: string;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
