import { Entity, PrimaryColumn } from 'typeorm';

/** A role a live user holds directly (its `roles` attribute), by catalog key. */
@Entity({ name: 'user_roles' })
export class UserRoleEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @PrimaryColumn({ name: 'role_key', type: 'varchar', length: 100 })
  roleKey!: string;
}
