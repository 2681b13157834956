import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseOptions } from '../../src/config/roster-options.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STALE_LOCK_MS = 120_000;

/** The compiled entry point (dist/src/main.js), or the bundle `npm start` and the Docker image run. */
export type ServiceScript = 'dist/src/main.js' | 'dist/roster.mjs';

/**
 * Compiles the service as `npm run build` does (`tsc -p tsconfig.build.json` into dist/), and with
 * `bundle` also bundles it into dist/roster.mjs (scripts/bundle.mjs, 2–3 s more), so that a test
 * runs the very artifact `npm start` and the Docker image run. About 7 s on the 2-core machine.
 */
export async function buildService({ bundle = false }: { bundle?: boolean } = {}): Promise<void> {
  // Suites in parallel jest workers would write the same dist/ at once: one builds, the others wait for it.
  const lock = join(ROOT, '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a run that died while building is not waited on for ever.
      const heldSinceMs = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - heldSinceMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(100);
    }
  }
  try {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
    if (bundle) {
      const bundled = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: ROOT, encoding: 'utf8' });
      if (bundled.status !== 0) throw new Error(`bundling failed:\n${bundled.stdout}\n${bundled.stderr}`);
    }
  } finally {
    rmdirSync(lock);
  }
}

export interface ChildService {
  readonly process: ChildProcess;
  readonly baseUrl: string;
  readonly port: number;
  /** Everything the child wrote on stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once the child has exited. */
  readonly exited: Promise<number | null>;
}

/** `node dist/src/main.js` (or `script`) on a free loopback port; resolves once `/health/ready` answers 200. */
export async function startChildService(
  database: DatabaseOptions,
  env: Record<string, string> = {},
  script: ServiceScript = 'dist/src/main.js',
): Promise<ChildService> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.kind === 'sqlite' ? `sqlite:${database.file}` : database.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
    }
    const status = await fetch(`${baseUrl}/health/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    await sleep(50);
  }
  return { process: child, baseUrl, port, output: () => output, exited };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
