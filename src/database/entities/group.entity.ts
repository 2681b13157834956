import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ScimObject } from '../../scim/patch/scim-json.js';
import type { IsoTimestamp } from '../timestamps.js';

/**
 * A group: its SCIM document without id, meta and members in `data`; members live in
 * `group_members`, so that no write ever reads or rewrites the whole member list.
 */
@Entity({ name: 'groups' })
export class GroupEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 256 })
  displayName!: string;

  /** displayName folded in code, under a unique index: case-insensitive uniqueness on both engines. */
  @Column({ name: 'display_name_key', type: 'varchar', length: 512 })
  displayNameKey!: string;

  /** The catalog key of the role the group grants its members. */
  @Column({ name: 'role_key', type: 'varchar', length: 100 })
  roleKey!: string;

  @Column({ type: 'simple-json' })
  data!: ScimObject;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: IsoTimestamp;

  @Column({ name: 'last_modified', type: 'varchar', length: 24 })
  lastModified!: IsoTimestamp;
}
