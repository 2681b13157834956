import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IsoTimestamp } from '../timestamps.js';

@Entity({ name: 'roles' })
export class RoleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The name case-folded: role names compare case-insensitively. */
  @Column({ name: 'name_key', type: 'varchar', length: 100 })
  nameKey!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @Column({ name: 'is_system', type: 'boolean' })
  isSystem!: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: IsoTimestamp;
}
