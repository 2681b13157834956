import type { Readable } from 'node:stream';
import type { ScimObject } from './patch/scim-json.js';

/**
 * The answer to a request on one resource, decided by the service and sent as it is by the HTTP
 * layer: the status, the version its `ETag` carries (RFC 7644 §3.14), `Location` on create
 * (§3.3) and the body — SCIM JSON, a stream of it for a resource too large to hold, or none.
 */
export class ResourceAnswer {
  private constructor(
    readonly status: 200 | 201 | 204 | 304,
    readonly version: number,
    readonly body?: ScimObject | Readable,
    readonly location?: string,
  ) {}

  static ok(version: number, body: ScimObject | Readable): ResourceAnswer {
    return new ResourceAnswer(200, version, body);
  }

  /** RFC 7644 §3.3: 201 with the resource and its `Location`. */
  static created(version: number, body: ScimObject, location: string): ResourceAnswer {
    return new ResourceAnswer(201, version, body, location);
  }

  /** RFC 7644 §3.5.2: a PATCH may answer 204 without the resource. */
  static noContent(version: number): ResourceAnswer {
    return new ResourceAnswer(204, version);
  }

  /** RFC 9110 §15.4.5: `If-None-Match` named the current version. */
  static notModified(version: number): ResourceAnswer {
    return new ResourceAnswer(304, version);
  }
}
