// `npm test`: runs every test this machine can run. PostgreSQL joins the SQLite run when it
// answers (TEST_POSTGRES_URL, default the local server); without it the PostgreSQL half is
// skipped and said so, except on CI (CI=true), where a missing PostgreSQL is a failure.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers() {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    process.stderr.write(`PostgreSQL at ${new URL(postgresUrl).host} does not answer (${error.message}).\n`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const databases = ['sqlite'];
if (process.env.TEST_SKIP_POSTGRES === '1') {
  process.stdout.write('SKIPPED: the PostgreSQL half of the suite (TEST_SKIP_POSTGRES=1).\n');
} else if (await postgresAnswers()) {
  databases.push('postgres');
} else if (process.env.CI === 'true') {
  process.stderr.write('CI needs PostgreSQL for the second half of the suite; failing.\n');
  process.exit(1);
} else {
  process.stdout.write('SKIPPED: the PostgreSQL half of the suite (no server); SQLite only.\n');
}
process.stdout.write(`Running the suite on: ${databases.join(', ')}\n`);

const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', jest, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ROSTER_TEST_DATABASES: databases.join(','), TEST_POSTGRES_URL: postgresUrl },
});
process.exit(result.status ?? 1);
