import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantId } from '../../domain/tenant-id.js';
import { caseFold } from '../../scim/case-fold.js';
import { ScimError } from '../../scim/errors.js';
import { type GrantHolder, grantsInline, LibraryGrantsRepository, type LibraryRef } from './library-grants.repository.js';

export type { LibraryRef } from './library-grants.repository.js';

/** Library grants to users and groups, and effective libraries: what other modules ask of libraries. */
@Injectable()
export class LibraryGrantsService {
  constructor(private readonly grants: LibraryGrantsRepository) {}

  /**
   * Library ids for what a client sent: each a library's id or its displayName (case-insensitively,
   * like roles); each once, in the order first named. One that names no library of this tenant is
   * `400 invalidValue` naming it, before anything is stored.
   */
  async resolve(tenant: TenantId, refs: readonly string[], manager: EntityManager): Promise<string[]> {
    if (refs.length === 0) return [];
    const found = await this.grants.findByIdsOrKeys(tenant, refs, refs.map(caseFold), manager);
    const byId = new Set(found.map((library) => library.id));
    const byKey = new Map(found.map((library) => [library.key, library.id]));
    const ids = refs.map((ref) => {
      const id = byId.has(ref) ? ref : byKey.get(caseFold(ref));
      if (id === undefined) throw ScimError.invalidValue(`library ${JSON.stringify(ref)} is not a library of this tenant`);
      return id;
    });
    return [...new Set(ids)];
  }

  grantsOf(holder: GrantHolder, tenant: TenantId, holderIds: readonly string[], manager?: EntityManager): Promise<Map<string, LibraryRef[]>> {
    return this.grants.grantsOf(holder, tenant, holderIds, manager);
  }

  /** grantsOf's rows as a subquery of the holder's own SELECT (GET by id in one round trip). */
  grantsInline(holder: GrantHolder): ReturnType<typeof grantsInline> {
    return grantsInline(holder);
  }

  /** Makes `libraryIds` the holder's own grants, in the caller's transaction. */
  replaceGrants(holder: GrantHolder, tenant: TenantId, holderId: string, libraryIds: readonly string[], manager: EntityManager): Promise<void> {
    return this.grants.replaceGrants(holder, tenant, holderId, libraryIds, manager);
  }

  /**
   * replaceGrants for a holder inserted in this same transaction: no grant can name it yet (its
   * foreign key waits for the holder's row), so there is nothing to take away first.
   */
  grantToNew(holder: GrantHolder, tenant: TenantId, holderId: string, libraryIds: readonly string[], manager: EntityManager): Promise<void> {
    return this.grants.addGrants(holder, tenant, holderId, libraryIds, manager);
  }

  /** Own grants ∪ groups' grants, by displayName; nothing for an inactive or deleted user. */
  effectiveOf(tenant: TenantId, userIds: readonly string[], manager?: EntityManager): Promise<Map<string, LibraryRef[]>> {
    return this.grants.effectiveOf(tenant, userIds, manager);
  }
}
