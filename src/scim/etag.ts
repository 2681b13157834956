import { ScimError } from './errors.js';

/** RFC 7644 §3.14: weak entity tags from the resource's version counter. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** RFC 9110 §13.1.1/§13.1.2 list matching with weak comparison; `*` matches any existing resource. */
export function etagListMatches(header: string, version: number): boolean {
  const wanted = `"${version}"`;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === wanted;
  });
}

/** `If-Match` that names another version → 412; absent means "any version". */
export function assertIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch !== undefined && !etagListMatches(ifMatch, version)) {
    throw ScimError.preconditionFailed(`If-Match does not match the current version ${etagOf(version)}.`);
  }
}
