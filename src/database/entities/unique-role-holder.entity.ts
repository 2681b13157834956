import { Entity, PrimaryColumn, Column } from 'typeorm';

/** Who holds a unique role (e.g. owner) in a tenant; the primary key allows one holder. */
@Entity({ name: 'unique_role_holders' })
export class UniqueRoleHolderEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'role_key', type: 'varchar', length: 100 })
  roleKey!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;
}
