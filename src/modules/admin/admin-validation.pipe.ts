import { Injectable, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ScimError } from '../../scim/errors.js';

/**
 * class-validator for admin request bodies: unknown fields are refused, failures answer
 * `400 invalidValue` naming the field, and a missing body is validated as `{}`.
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
    return super.transform(metadata.type === 'body' ? (value ?? {}) : value, metadata);
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
