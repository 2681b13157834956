import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

// Not an HTTP test: it lives here because jest runs src/**/*.spec.ts and test/**/*.e2e-spec.ts,
// and it checks the repository's own eslint.config.js, which sits above src.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Verdict = 'refused' | 'allowed';

/** Whether eslint.config.js refuses `statement` (an import or re-export) in a file at `filePath`. */
async function verdictOn(eslint: ESLint, filePath: string, statement: string): Promise<Verdict> {
  const [result] = await eslint.lintText(`${statement}\n`, { filePath });
  // A file that failed to parse or was ignored would pass every "allowed" row for no reason.
  expect(result.messages.filter((message) => message.fatal === true || message.ruleId === null)).toEqual([]);
  const refused = result.messages.some((message) => message.ruleId === 'no-restricted-imports');
  return refused ? 'refused' : 'allowed';
}

const from = (source: string): string => `import { x } from '${source}';`;

describe('layer boundaries in eslint.config.js', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  it.each<[string, string, Verdict]>([
    // src/scim: nothing of ours outside it, at any depth; no Nest, no TypeORM.
    ['src/scim/errors.ts', from('../modules/users/user-index.js'), 'refused'],
    ['src/scim/patch/apply-patch.ts', from('../../modules/users/user-index.js'), 'refused'],
    ['src/scim/patch/apply-patch.ts', from('../../database/query/filter-sql.js'), 'refused'],
    ['src/scim/query/cursor.ts', from('../../http/etag.js'), 'refused'],
    ['src/scim/errors.ts', from('../config/roster-options.js'), 'refused'],
    ['src/scim/filter/parser.ts', from('../../domain/tenant-id.js'), 'refused'],
    ['src/scim/filter/parser.ts', from('./../../domain/tenant-id.js'), 'refused'],
    ['src/scim/errors.ts', from('../../test/support/scim-type-of.js'), 'refused'],
    ['src/scim/patch/apply-patch.ts', `import type { TenantId } from '../../domain/tenant-id.js';`, 'refused'],
    ['src/scim/patch/apply-patch.ts', `export { x } from '../../http/etag.js';`, 'refused'],
    ['src/scim/patch/apply-patch.ts', from('@nestjs/typeorm'), 'refused'],
    ['src/scim/patch/apply-patch.ts', from('@nestjs/common'), 'refused'],
    ['src/scim/patch/apply-patch.ts', from('typeorm'), 'refused'],
    ['src/scim/patch/apply-patch.ts', from('typeorm/query-builder/QueryPartialEntity.js'), 'refused'],
    ['src/scim/patch/apply-patch.ts', from('../errors.js'), 'allowed'],
    ['src/scim/patch/apply-patch.ts', from('./scim-json.js'), 'allowed'],
    ['src/scim/errors.ts', from('./filter/parser.js'), 'allowed'],
    ['src/scim/patch/apply-patch.ts', from('node:crypto'), 'allowed'],
    // Its specs may use the shared helpers of test/support, and nothing else outside src/scim.
    ['src/scim/patch/apply-patch.spec.ts', from('../../../test/support/scim-type-of.js'), 'allowed'],
    ['src/scim/patch/apply-patch.spec.ts', from('../../modules/users/user-resource.js'), 'refused'],
    ['src/scim/patch/apply-patch.spec.ts', from('@nestjs/testing'), 'refused'],
    // src/domain: src/scim only.
    ['src/domain/scopes.ts', from('../scim/errors.js'), 'allowed'],
    ['src/domain/scopes.ts', from('./tenant-id.js'), 'allowed'],
    ['src/domain/scopes.ts', from('../modules/auth/principal.js'), 'refused'],
    ['src/domain/scopes.ts', from('../database/timestamps.js'), 'refused'],
    ['src/domain/scopes.ts', from('../config/roster-options.js'), 'refused'],
    ['src/domain/scopes.ts', from('../../test/support/bootstrap.js'), 'refused'],
    // src/database: no module, nothing of src/http.
    ['src/database/migrations/1764200000000-query-engine.ts', from('../../modules/users/user-index.js'), 'refused'],
    ['src/database/migrations/1764200000000-query-engine/user-value-rows.ts', from('../../../modules/users/user-index.js'), 'refused'],
    ['src/database/run-sql.ts', from('../http/etag.js'), 'refused'],
    ['src/database/query/filter-sql.ts', from('../../http/to-scim-error.js'), 'refused'],
    ['src/database/query/filter-sql.ts', from('../../scim/errors.js'), 'allowed'],
    ['src/database/entities/tenant.entity.ts', from('../../domain/tenant-settings.js'), 'allowed'],
    ['src/database/transaction-runner.ts', from('../config/injection-tokens.js'), 'allowed'],
    ['src/database/query/list-query.ts', from('../entities/user.entity.js'), 'allowed'],
    // src/modules: never another module's repository; admin/dto belongs to admin.
    ['src/modules/users/users.service.ts', from('../groups/groups.repository.js'), 'refused'],
    ['src/modules/tenants/tenants.service.ts', from('../roles/roles.repository.js'), 'refused'],
    ['src/modules/oauth/token-endpoint.service.ts', from('../../modules/connections/connections.repository.js'), 'refused'],
    ['src/modules/admin/dto/role.dto.ts', from('../../roles/roles.repository.js'), 'refused'],
    ['src/modules/users/users.service.ts', from('./users.repository.js'), 'allowed'],
    ['src/modules/users/users.service.ts', from('../groups/groups.service.js'), 'allowed'],
    ['src/modules/admin/dto/role.dto.ts', from('../admin-roles.repository.js'), 'allowed'],
    ['src/modules/admin/dto/role.dto.ts', from('../../roles/roles.service.js'), 'allowed'],
  ])('%s: %s is %s', async (filePath, statement, expected) => {
    expect(await verdictOn(eslint, filePath, statement)).toBe(expected);
  });
});
