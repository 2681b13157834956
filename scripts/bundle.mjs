// `npm run build`'s second step: the service as one ES module, dist/roster.mjs, which `npm start`,
// the Docker image and the bench run. Started from ~1,400 files, Node spends most of the service's
// start-up resolving, reading and linking them (issue 15: 1.3 s against the bare framework's 0.45 s,
// most of it module loading); one file starts about as fast as the bare framework.
//
// It bundles tsc's output (dist/src/main.js), not the TypeScript: tsc has already emitted the
// decorator metadata (`design:paramtypes`) that Nest's dependency injection reads. Names are kept
// (`keepNames`): the OpenAPI document names its schemas after the DTO classes and tells lazy types
// by their arrow's name, Nest names providers after their classes, and esbuild renames some
// declarations. keepNames's run-time cost on closures is taken out by scripts/bundle-names.mjs.
//
// Left outside, loaded from node_modules at run time:
// - better-sqlite3, a native addon found by path (`bindings`);
// - what TypeORM loads by name with `PlatformTools.load` (pg on PostgreSQL, its other drivers);
// - swagger-ui-dist's files, read from the package at /admin/docs;
// - optional packages that are not installed (@nestjs/microservices, @fastify/static, …): their
//   imports stay as they are, and the code that names them handles their absence at run time.
// CommonJS code inside the bundle gets `require` from `createRequire`; its `__dirname` and
// `__filename` are those of dist/roster.mjs (read only by paths Roster does not take: pino's
// transport workers, ioredis's own version in CLIENT SETINFO).
import { readFile, writeFile } from 'node:fs/promises';
import { unwrapSelfNamingFunctions } from './bundle-names.mjs';
import { build } from 'esbuild';

const notInstalled = new Set();

const leaveNotInstalledExternal = {
  name: 'leave-not-installed-external',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'probe' || args.path.startsWith('node:')) return undefined;
      const { kind, importer, resolveDir } = args;
      const probe = await bundler.resolve(args.path, { kind, importer, resolveDir, pluginData: 'probe' });
      if (probe.errors.length === 0) return probe;
      notInstalled.add(args.path);
      return { path: args.path, external: true };
    });
  },
};

/**
 * @nestjs/typeorm looks up TypeORM 0.3's `Connection` and `AbstractRepository` with a
 * `createRequire` of its own, out of esbuild's sight: from the bundle, that `require('typeorm')`
 * loaded a second TypeORM from node_modules (some 300 files, a third of the bundle's start-up).
 * Here it asks the bundled one (TypeORM 1 has neither export: both stay undefined, as before).
 */
const typeormCompatFromBundle = {
  name: 'typeorm-compat-from-bundle',
  setup(bundler) {
    bundler.onLoad({ filter: /[\\/]@nestjs[\\/]typeorm[\\/]dist[\\/]common[\\/]typeorm-compat\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const ownRequire = 'const require = createRequire(import.meta.url);';
      if (!source.includes(ownRequire)) throw new Error(`${args.path} changed: check how it loads typeorm before bundling it`);
      const fromBundle = "import * as bundledTypeorm from 'typeorm';\nconst require = () => bundledTypeorm;";
      return { contents: source.replace(ownRequire, fromBundle), loader: 'js' };
    });
  },
};

const prelude = [
  "import { createRequire as __rosterCreateRequire } from 'node:module';",
  "import { fileURLToPath as __rosterFileURLToPath } from 'node:url';",
  "import { dirname as __rosterDirname } from 'node:path';",
  'const require = __rosterCreateRequire(import.meta.url);',
  'const __roster_filename = __rosterFileURLToPath(import.meta.url);',
  'const __roster_dirname = __rosterDirname(__roster_filename);',
].join('\n');

const built = await build({
  entryPoints: ['dist/src/main.js'],
  outfile: 'dist/roster.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  keepNames: true,
  // Minifying measured no faster to start (3.6 MB instead of 8 MB) and makes stack traces unreadable.
  minify: false,
  external: ['better-sqlite3'],
  // Only free references (CommonJS code): an ES module declaring its own __dirname keeps it.
  define: { __dirname: '__roster_dirname', __filename: '__roster_filename' },
  banner: { js: prelude },
  plugins: [leaveNotInstalledExternal, typeormCompatFromBundle],
  logLevel: 'warning',
  write: false,
});
const [output] = built.outputFiles;
await writeFile(output.path, unwrapSelfNamingFunctions(output.text));

if (process.argv.includes('--verbose')) {
  console.log(`dist/roster.mjs; left as imports (not installed): ${[...notInstalled].sort().join(', ')}`);
}
