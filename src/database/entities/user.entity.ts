import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { IsoTimestamp } from '../timestamps.js';

/**
 * Longest folded userName key. NFKC can expand a character up to 18-fold, so the key is capped
 * on its own (and refused past it) rather than trusting the userName's length; 512 characters
 * stay within PostgreSQL's btree entry limit even at 4 bytes a character.
 */
export const USER_NAME_KEY_MAX_LENGTH = 512;

/**
 * A user: the canonical SCIM document (without id, meta and password) in `data`, and beside it
 * the columns that are looked up, indexed and constrained.
 */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'user_name', type: 'varchar', length: 256 })
  userName!: string;

  /** userName folded in code (Unicode-aware), so that the unique index is case-insensitive on SQLite too. */
  @Column({ name: 'user_name_key', type: 'varchar', length: USER_NAME_KEY_MAX_LENGTH })
  userNameKey!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 1024, nullable: true })
  externalId!: string | null;

  @Column({ name: 'display_name', type: 'varchar', length: 256, nullable: true })
  displayName!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ type: 'simple-json' })
  data!: ScimObject;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: IsoTimestamp;

  @Column({ name: 'last_modified', type: 'varchar', length: 24 })
  lastModified!: IsoTimestamp;

  @Column({ name: 'deleted_at', type: 'varchar', length: 24, nullable: true })
  deletedAt!: IsoTimestamp | null;
}
