export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** RFC 7644 §3.4.2 list response. */
export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  itemsPerPage: number;
  /** Absent in cursor pagination (RFC 9865 §2). */
  startIndex?: number;
  /** RFC 9865 §2: present unless this is the last page. */
  nextCursor?: string;
  /** RFC 9865 §2: never on the first page. */
  previousCursor?: string;
  Resources: T[];
}

/** What a page says about where it sits in the whole list. */
export interface PageInfo {
  readonly total: number;
  readonly startIndex?: number;
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

/** RFC 7644 §3.4.2 / RFC 9865 list response for one page. */
export function toPagedListResponse<T>(resources: T[], page: PageInfo): ListResponse<T> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.total,
    itemsPerPage: resources.length,
    ...(page.startIndex === undefined ? {} : { startIndex: page.startIndex }),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    ...(page.previousCursor === undefined ? {} : { previousCursor: page.previousCursor }),
    Resources: resources,
  };
}

/** A complete, unpaged list (discovery endpoints return everything at once, RFC 7644 §4). */
export function toListResponse<T>(resources: T[]): ListResponse<T> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  };
}
