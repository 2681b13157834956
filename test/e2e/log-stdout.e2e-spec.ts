import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildService } from '../support/child-service.js';
import { eventually } from '../support/webhook-receiver.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOGGER = new URL('dist/src/logging/roster-logger.js', `file://${ROOT}`).href;

/** The write(2) calls the process has made so far (`syscw`, proc(5)). */
const WRITES_SO_FAR = `Number(require('node:fs').readFileSync('/proc/self/io', 'utf8').match(/syscw: (\\d+)/)[1])`;

interface Child {
  readonly process: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<number | null>;
}

/** `body` run in a node process of its own, `createRosterLogger` in scope: the service's logger on the real stdout. */
function runWithLogger(body: string): Child {
  const script = `const { createRequire } = await import('node:module'); const require = createRequire(import.meta.url);
    const { createRosterLogger } = await import(${JSON.stringify(LOGGER)});
    ${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(() => buildService(), 60_000);

describe('the service logger on stdout (turn-buffered-stdout.ts)', () => {
  it('writes the lines of one loop turn together, whole and in order, in far fewer writes than lines', async () => {
    const child = runWithLogger(`
      const logger = createRosterLogger('info');
      const before = ${WRITES_SO_FAR};
      for (let i = 0; i < 500; i++) logger.info({ i, padding: 'x'.repeat(60) }, 'line');
      setImmediate(() => setImmediate(() => process.stderr.write('writes=' + (${WRITES_SO_FAR} - before) + '\\n')));
    `);
    expect(await child.exited).toBe(0);
    const lines = jsonLines(child.stdout());
    expect(lines.map((line) => line.i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(lines.every((line) => line.msg === 'line' && line.level === 'info')).toBe(true);
    // About 85 KB of lines: written as ~8 KB pieces (sonic-boom's minLength) and the turn's rest,
    // not once per line; the stderr write is counted too.
    const writes = Number(/writes=(\d+)/.exec(child.stderr())?.[1]);
    expect(child.stdout().length).toBeGreaterThan(80_000);
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThanOrEqual(Math.ceil(child.stdout().length / 8192) + 2);
  }, 20_000);

  it('shows a quiet process its line at once, not when more lines or the exit come', async () => {
    const child = runWithLogger(`
      const logger = createRosterLogger('info');
      logger.info('the only line for a while');
      setTimeout(() => undefined, 30_000);
    `);
    try {
      await eventually(() => child.stdout().includes('the only line for a while'), 'the line on stdout', 5_000);
      expect(child.process.exitCode).toBeNull();
      expect(jsonLines(child.stdout())).toEqual([expect.objectContaining({ level: 'info', msg: 'the only line for a while' })]);
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  }, 20_000);

  it('writes the lines still held when the process exits in the same turn', async () => {
    const child = runWithLogger(`
      const logger = createRosterLogger('info');
      logger.info('first');
      logger.error({ code: 3 }, 'fatal: giving up');
      process.exit(3);
    `);
    expect(await child.exited).toBe(3);
    expect(jsonLines(child.stdout()).map((line) => line.msg)).toEqual(['first', 'fatal: giving up']);
  }, 20_000);

  it('keeps the order of two loggers writing to stdout in one process', async () => {
    const child = runWithLogger(`
      const a = createRosterLogger('info');
      const b = createRosterLogger('info');
      for (let i = 0; i < 20; i++) (i % 2 === 0 ? a : b).info({ i }, 'interleaved');
    `);
    expect(await child.exited).toBe(0);
    expect(jsonLines(child.stdout()).map((line) => line.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  }, 20_000);
});
