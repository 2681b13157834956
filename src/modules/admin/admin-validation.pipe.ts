import { Injectable, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ScimError } from '../../scim/errors.js';
import { unstorableTextIn } from '../../scim/storable-text.js';

/**
 * class-validator for admin request bodies: unknown fields are refused, failures answer
 * `400 invalidValue` naming the field, and a missing body is validated as `{}`. A string no
 * database can store (U+0000, an unpaired surrogate) is refused here for every DTO at once, as
 * the SCIM schemas refuse it in resources, rather than failing in the driver as a 500.
 */
@Injectable()
export class AdminValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors: ValidationError[]) => ScimError.invalidValue(describe(errors)),
    });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') return super.transform(value, metadata);
    const unstorable = unstorableTextIn(value);
    if (unstorable !== undefined) throw ScimError.invalidValue(`${unstorable} contains U+0000 or an unpaired surrogate`);
    return super.transform(value ?? {}, metadata);
  }
}

function describe(errors: ValidationError[], parent = ''): string {
  return errors
    .flatMap((error) => {
      const path = parent ? `${parent}.${error.property}` : error.property;
      const own = Object.values(error.constraints ?? {}).map((message) => message.replace(error.property, path));
      return [...own, describe(error.children ?? [], path)].filter(Boolean);
    })
    .join('; ');
}
