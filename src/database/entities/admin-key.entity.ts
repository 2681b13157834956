import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AdminScope } from '../../domain/admin-scopes.js';
import type { IsoTimestamp } from '../timestamps.js';

/** An admin key: what it may do and for which tenant; the key itself is shown once and stored as its SHA-256. */
@Entity({ name: 'admin_keys' })
export class AdminKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @Column({ type: 'simple-array' })
  scopes!: AdminScope[];

  /** Bound to this tenant only; null: every tenant. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true })
  tenantId!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: IsoTimestamp;

  @Column({ name: 'revoked_at', type: 'varchar', length: 24, nullable: true })
  revokedAt!: IsoTimestamp | null;
}
