import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TenantSettings } from '../../domain/tenant-settings.js';
import type { IsoTimestamp } from '../timestamps.js';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'simple-json' })
  settings!: TenantSettings;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: IsoTimestamp;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt!: IsoTimestamp;
}
