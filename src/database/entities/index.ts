import { AdminKeyEntity } from './admin-key.entity.js';
import { ApiConnectionEntity } from './api-connection.entity.js';
import { ApiTokenEntity } from './api-token.entity.js';
import { GroupEntity } from './group.entity.js';
import { LibraryEntity } from './library.entity.js';
import { RoleEntity } from './role.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { UniqueRoleHolderEntity } from './unique-role-holder.entity.js';
import { UserRoleEntity } from './user-role.entity.js';
import { UserEntity } from './user.entity.js';

export { AdminKeyEntity, ApiConnectionEntity, ApiTokenEntity, GroupEntity, LibraryEntity, RoleEntity, TenantEntity, UniqueRoleHolderEntity, UserEntity, UserRoleEntity };

/** Listed by class rather than by glob so that the same list works compiled, under jest and in a host app. */
export const ENTITIES = [AdminKeyEntity, TenantEntity, ApiConnectionEntity, ApiTokenEntity, RoleEntity, UserEntity, UniqueRoleHolderEntity, UserRoleEntity, GroupEntity, LibraryEntity];
