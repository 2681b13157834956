import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IsoTimestamp } from '../timestamps.js';
import { scopeListTransformer } from './scope-list.transformer.js';
import type { Scope } from '../../domain/scopes.js';

/** `access`: minted by /oauth/token, short-lived. `secret`: long-lived, minted by an admin. */
export type ApiTokenKind = 'access' | 'secret';

@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ApiTokenKind;

  /** SHA-256 of the token: tokens are 256 random bits, so a fast hash is enough to keep them unguessable at rest. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 200, transformer: scopeListTransformer })
  scopes!: Scope[];

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: IsoTimestamp;

  @Column({ name: 'expires_at', type: 'varchar', length: 24, nullable: true })
  expiresAt!: IsoTimestamp | null;

  @Column({ name: 'revoked_at', type: 'varchar', length: 24, nullable: true })
  revokedAt!: IsoTimestamp | null;
}
