import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export interface StallFigures {
  readonly maxMs: number;
  readonly p99Ms: number;
}

export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  readonly baseUrl: string;
  /** Spawn until the first 200 from `/health/ready`. */
  readonly startupMs: number;
  rssMb(): number;
  resetStalls(): void;
  readStalls(): Promise<StallFigures>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_TAIL_CHARS = 4_000;
const STALL_PROBE = fileURLToPath(new URL('./stall-probe.js', import.meta.url));

/**
 * With BENCH_CPU_PROF_DIR set, the services (not the baseline) write a `node --cpu-prof` profile
 * there when they stop: the guide asks for a profile before an optimisation, and the bench's own
 * load is the one to profile. The interval is finer than Node's 1 ms default so that a single
 * long event-loop turn shows its parts.
 */
function profileArgs(name: string): string[] {
  const folder = process.env.BENCH_CPU_PROF_DIR;
  if (folder === undefined || folder === '' || !name.startsWith('service')) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${folder}`, '--cpu-prof-interval=250'];
}

/**
 * Starts `node <script>` on a free loopback port with the stall probe preloaded; resolves when it
 * is ready. With `stdoutFile`, its stdout goes there (a service logging every request would
 * otherwise have this process, which also runs the load generator, read every line).
 */
export async function startServer(name: string, script: string, env: Record<string, string>, stdoutFile?: string): Promise<ChildServer> {
  const port = await freePort();
  const started = performance.now();
  const stdout = stdoutFile === undefined ? 'pipe' : openSync(stdoutFile, 'w');
  const child = spawn(process.execPath, [...profileArgs(name), '--import', STALL_PROBE, script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', stdout, 'pipe', 'ipc'],
  });
  // The child holds its own copy of the descriptor.
  if (typeof stdout === 'number') closeSync(stdout);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitReady(child, baseUrl);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not become ready: ${(error as Error).message}\n${output}`, { cause: error });
  }
  const startupMs = performance.now() - started;
  const pid = child.pid ?? 0;
  return {
    name,
    pid,
    baseUrl,
    startupMs,
    rssMb: () => readRssMb(pid),
    resetStalls: () => child.send('stalls:reset'),
    readStalls: () => readStalls(child),
    stop: () => stop(child),
  };
}

async function waitReady(child: ChildProcess, baseUrl: string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(10);
  }
  throw new Error(`no 200 from /health/ready within ${READY_TIMEOUT_MS} ms`);
}

/** VmRSS from /proc (Linux): the resident memory of the child itself, not of this harness. */
function readRssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function readStalls(child: ChildProcess): Promise<StallFigures> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no stall figures from the child')), 2000);
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !('kind' in message) || message.kind !== 'stalls') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as unknown as StallFigures);
    };
    child.on('message', onMessage);
    child.send('stalls:read');
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
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
