import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * `root` and every folder below it, each with how many `../` leave `root` from a file in it.
 * no-restricted-imports sees only the import string, so a relative path is judged by how far it
 * climbs from where the importing file sits; the folders are read at each run, so new ones count.
 */
function foldersUnder(root, climbsOut = 1) {
  const below = subfolders(root).flatMap((name) => foldersUnder(`${root}/${name}`, climbsOut + 1));
  return [{ folder: root, climbsOut }, ...below];
}

/** Folder names in `folder`, a path from this file's folder (where `files` globs start too). */
function subfolders(folder) {
  return readdirSync(fileURLToPath(new URL(folder, import.meta.url)), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/**
 * One config per folder below `root`, so that each file gets exactly one list of patterns (a later
 * config replaces a rule's options, it does not add to them); `specPatternsFor`, if given, is
 * for the unit specs there.
 */
function restrictImports(root, patternsFor, specPatternsFor) {
  return foldersUnder(root).flatMap(({ folder, climbsOut }) => [
    { files: [`${folder}/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns: patternsFor(climbsOut) }] } },
    ...(specPatternsFor
      ? [{ files: [`${folder}/*.spec.ts`], rules: { 'no-restricted-imports': ['error', { patterns: specPatternsFor(climbsOut) }] } }]
      : []),
  ]);
}

/** A relative import climbing `climbsOut` levels or more, e.g. `../../` (optionally after `./`). */
const leaving = (climbsOut) => `^(\\./)?(\\.\\./){${climbsOut}}`;
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PLAIN_TYPESCRIPT = { group: ['@nestjs/*', 'typeorm', 'typeorm/*'], message: 'src/scim is plain TypeScript: no Nest, no TypeORM (STYLE.md §1).' };
const SCIM_ALONE = 'src/scim imports nothing of ours outside src/scim (STYLE.md §1).';

// Layering (STYLE.md §1): each rule names what its folder may not depend on.
const boundaries = [
  // The protocol core stays plain TypeScript and the easiest part to test: nothing of ours outside
  // src/scim, no Nest, no TypeORM.
  ...restrictImports(
    'src/scim',
    (climbsOut) => [PLAIN_TYPESCRIPT, { regex: leaving(climbsOut), message: SCIM_ALONE }],
    // Its unit specs may also use the shared test helpers in test/support, one level above src.
    (climbsOut) => [PLAIN_TYPESCRIPT, { regex: `${leaving(climbsOut)}(?!\\.\\./test/support/)`, message: `${SCIM_ALONE} Specs may use test/support.` }],
  ),
  // The vocabulary below the entities (TenantId, scopes, tenant settings) rests on src/scim alone.
  ...restrictImports('src/domain', (climbsOut) => [
    { regex: `${leaving(climbsOut)}(?!scim/)`, message: 'src/domain imports nothing of ours but src/scim.' },
  ]),
  // Entities, migrations and SQL sit below the modules and the HTTP glue.
  ...restrictImports('src/database', (climbsOut) => [
    { regex: `${leaving(climbsOut)}(modules|http)(/|$)`, message: 'src/database imports no module and nothing of src/http.' },
  ]),
  // A module's tables are its own: others go through its service. admin/dto counts as admin.
  ...subfolders('src/modules').flatMap((name) =>
    restrictImports(`src/modules/${name}`, (climbsOut) => [
      {
        regex: `${leaving(climbsOut)}(\\.\\./modules/)?(?!${escapeRegExp(name)}/)[^/.][^/]*/(.*/)?[^/]*\\.repository(\\.js)?$`,
        message: `src/modules/${name} uses another module's service, never its repository.`,
      },
    ]),
  ),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Not consistent-type-imports: Nest's DI reads constructor parameter types from decorator
      // metadata, which needs value imports of those classes.
      'no-restricted-imports': 'off',
    },
  },
  ...boundaries,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
