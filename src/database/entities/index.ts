import { ApiConnectionEntity } from './api-connection.entity.js';
import { ApiTokenEntity } from './api-token.entity.js';
import { TenantEntity } from './tenant.entity.js';

export { ApiConnectionEntity, ApiTokenEntity, TenantEntity };

/** Listed by class rather than by glob so that the same list works compiled, under jest and in a host app. */
export const ENTITIES = [TenantEntity, ApiConnectionEntity, ApiTokenEntity];
