import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IsoTimestamp } from '../timestamps.js';
import { scopeListTransformer } from './scope-list.transformer.js';
import type { Scope } from '../../domain/scopes.js';

@Entity({ name: 'api_connections' })
export class ApiConnectionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  /** scrypt hash of the client secret; the secret itself is shown once and never stored. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 255 })
  secretHash!: string;

  @Column({ type: 'varchar', length: 200, transformer: scopeListTransformer })
  scopes!: Scope[];

  @Column({ name: 'allowed_cidrs', type: 'simple-json' })
  allowedCidrs!: string[];

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: IsoTimestamp;

  @Column({ name: 'revoked_at', type: 'varchar', length: 24, nullable: true })
  revokedAt!: IsoTimestamp | null;

  /** When a token of the connection was last accepted, to the minute (written at most once a minute per replica). */
  @Column({ name: 'last_used_at', type: 'varchar', length: 24, nullable: true })
  lastUsedAt!: IsoTimestamp | null;
}
