/**
 * A tenant's id. Branded so that every repository method that takes the tenant first cannot be
 * handed some other string by mistake: forgetting the tenant is a type error.
 */
export type TenantId = string & { readonly __brand: 'TenantId' };

export function asTenantId(id: string): TenantId {
  return id as TenantId;
}
