/** Nest injection token of the RosterOptions the module was given. */
export const ROSTER_OPTIONS = Symbol('ROSTER_OPTIONS');

/**
 * Roster's TypeORM data source has its own name, so that a host app's default data source (if
 * it has one) and ours never get mixed up.
 */
export const ROSTER_DATA_SOURCE = 'roster';

/** The SCIM base URL (`publicUrl` + `/scim/v2`), computed once from the options; `meta.location` and `$ref`s start with it. */
export const SCIM_BASE_URL = Symbol('SCIM_BASE_URL');
