import { complexAttr, dateTimeAttr, referenceAttr, stringAttr } from './attribute-builders.js';
import type { AttributeDefinition } from './characteristics.js';

const readOnly = { mutability: 'readOnly' } as const;

/**
 * The common attributes of every resource (RFC 7643 §3.1). They are not part of any schema,
 * so discovery does not list them, but validation, filtering and projection need them.
 */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  stringAttr('id', 'A unique identifier for a SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  stringAttr('externalId', 'A String that is an identifier for the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  // RFC 7643 §3.1: meta is assigned by the service provider and ignored when clients send it.
  complexAttr(
    'meta',
    'A complex attribute containing resource metadata.',
    [
      stringAttr('resourceType', 'The name of the resource type of the resource.', { ...readOnly, caseExact: true }),
      dateTimeAttr('created', 'The DateTime that the resource was added to the service provider.', readOnly),
      dateTimeAttr(
        'lastModified',
        'The most recent DateTime that the details of this resource were updated at the service provider.',
        readOnly,
      ),
      referenceAttr(
        'location',
        'The URI of the resource being returned; the same as the Content-Location HTTP response header.',
        ['uri'],
        readOnly,
      ),
      // RFC 7643 §3.1: the version is the ETag, whose comparison is case-sensitive (RFC 7232 §2.3).
      stringAttr('version', 'The version of the resource being returned; the same as the ETag HTTP response header.', {
        ...readOnly,
        caseExact: true,
      }),
    ],
    readOnly,
  ),
];
