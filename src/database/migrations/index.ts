import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { UsersAndRoles1764100000000 } from './1764100000000-users-and-roles.js';
import { QueryEngine1764200000000 } from './1764200000000-query-engine.js';
import { Groups1764300000000 } from './1764300000000-groups.js';
import { Libraries1764400000000 } from './1764400000000-libraries.js';
import { Events1764500000000 } from './1764500000000-events.js';
import { ConnectionHealth1764600000000 } from './1764600000000-connection-health.js';
import { AdminKeys1764700000000 } from './1764700000000-admin-keys.js';
import { ResourceKeyedValues1764800000000 } from './1764800000000-resource-keyed-values.js';
import { ResourceCounts1764900000000 } from './1764900000000-resource-counts.js';
import { Webhooks1765000000000 } from './1765000000000-webhooks.js';
import { AuditFromEvents1765100000000 } from './1765100000000-audit-from-events.js';

/** In order; listed by class so that migrations run the same compiled, under jest and in a host app. */
export const MIGRATIONS = [Foundation1764000000000, UsersAndRoles1764100000000, QueryEngine1764200000000, Groups1764300000000, Libraries1764400000000, Events1764500000000, ConnectionHealth1764600000000, AdminKeys1764700000000, ResourceKeyedValues1764800000000, ResourceCounts1764900000000, Webhooks1765000000000, AuditFromEvents1765100000000];
