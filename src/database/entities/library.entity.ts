import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { IsoTimestamp } from '../timestamps.js';

/** A content library: its SCIM document without id and meta in `data`; grants live in their own tables. */
@Entity({ name: 'libraries' })
export class LibraryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 256 })
  displayName!: string;

  /** displayName folded in code, under a unique index: case-insensitive uniqueness on both engines. */
  @Column({ name: 'display_name_key', type: 'varchar', length: 512 })
  displayNameKey!: string;

  @Column({ type: 'simple-json' })
  data!: ScimObject;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: IsoTimestamp;

  @Column({ name: 'last_modified', type: 'varchar', length: 24 })
  lastModified!: IsoTimestamp;
}
