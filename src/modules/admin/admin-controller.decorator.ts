import { applyDecorators, Controller, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { SCIM_CONTENT_TYPE } from '../../http/scim-content-type.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AdminValidationPipe } from './admin-validation.pipe.js';
import { ScimErrorAnswer } from './dto/answers.dto.js';

/** The OpenAPI security scheme of the admin bearer token. */
export const ADMIN_BEARER = 'adminToken';

const ERRORS: Readonly<Record<number, string>> = {
  400: 'invalidValue (a field named) or invalidSyntax (the body is not JSON).',
  401: 'No admin bearer token or admin key, or a wrong or revoked one.',
  403: 'The admin key lacks the scope the route needs.',
  404: 'No such tenant or resource; every admin path is 404 while ADMIN_TOKEN is unset.',
  409: 'uniqueness, or the change would break a rule (a role a group grants).',
};

/**
 * An admin API controller: the admin token guard, class-validator bodies, and in the OpenAPI
 * document its tag, the bearer scheme and the errors every admin route can answer.
 */
export function AdminController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(path),
    UseGuards(AdminTokenGuard),
    UsePipes(AdminValidationPipe),
    ApiTags(tag),
    ApiBearerAuth(ADMIN_BEARER),
    ApiExtraModels(ScimErrorAnswer),
    AdminErrors(400, 401, 403, 404),
  );
}

/** Error answers of the admin API in the OpenAPI document: the SCIM error body (RFC 7644 §3.12). */
export function AdminErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERRORS[status] ?? 'A SCIM error.',
        content: { [SCIM_CONTENT_TYPE.split(';')[0] ?? 'application/scim+json']: { schema: { $ref: getSchemaPath(ScimErrorAnswer) } } },
      }),
    ),
  );
}
