/**
 * What every hostile-input case checks, whatever it feeds: the outcome expected (an exit code,
 * or problems instead of a result), no stack trace where a person would read it, and a bound
 * on the time it takes. Cases are files described as data and laid out by `materialize`.
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'test/helpers/run-cli.ts');

/** A file as a case lays it out: text or bytes, or one of the things that are not regular files. */
export type HostileFile =
  | string
  | Buffer
  | { fifo: true }
  | { dir: true }
  | { symlink: string };

/** Writes `file` at `at` (parents created). */
export function materialize(at: string, file: HostileFile): void {
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.rmSync(at, { recursive: true, force: true });
  if (typeof file === 'string' || Buffer.isBuffer(file)) fs.writeFileSync(at, file);
  else if ('fifo' in file) execFileSync('mkfifo', [at]);
  else if ('dir' in file) fs.mkdirSync(at);
  else fs.symlinkSync(file.symlink, at);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `spyglass-hostile-${prefix}-`));
}

/** A V8 stack frame line ("    at fn (file:1:2)"), which no message for people carries. */
const STACK_FRAME = /^\s+at .*(:\d+:\d+\)?|<anonymous>|native)$/m;

export function assertNoStackTrace(text: string, what: string): void {
  assert.doesNotMatch(text, STACK_FRAME, `${what}: a stack trace:\n${text.slice(0, 2000)}`);
  assert.doesNotMatch(text, /internal error/i, `${what}: an internal error:\n${text.slice(0, 2000)}`);
}

/** Runs `fn`, failing the case when it takes longer than `limitMs`. */
export async function within<T>(limitMs: number, what: string, fn: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${limitMs} ms`)), limitMs);
  });
  try {
    const value = await Promise.race([Promise.resolve().then(fn), overrun]);
    assert.ok(Date.now() - started <= limitMs, `${what}: took ${Date.now() - started} ms (limit ${limitMs})`);
    return value;
  } finally {
    clearTimeout(timer);
  }
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** the highest resident set size seen while it ran (VmHWM of /proc/<pid>/status, read every 50 ms), in bytes */
  peakRssBytes: number;
}

/** No hostile input may make one CLI run grow past this (the zip bomb of issue 18 took 4.3 GB). */
export const CLI_MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

function peakRss(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // gone between two reads
  }
}

/**
 * Runs the CLI from source. `limitMs` kills it (the case then fails on its exit code);
 * `signalAfter` sends a signal once that many ms have passed.
 */
export function runCli(args: string[], options: { limitMs?: number; signalAfter?: { ms: number; signal: NodeJS.Signals }; env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, peakRss(child.pid)); }, 50);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdin.end(options.stdin ?? '');
    const kill = setTimeout(() => child.kill('SIGKILL'), options.limitMs ?? 60_000);
    const signal = options.signalAfter ? setTimeout(() => child.kill(options.signalAfter!.signal), options.signalAfter.ms) : undefined;
    child.on('exit', (code, sig) => {
      clearTimeout(kill);
      clearInterval(sampler);
      if (signal) clearTimeout(signal);
      resolve({ code, signal: sig, stdout, stderr, ms: Date.now() - started, peakRssBytes: peak });
    });
  });
}

/** Asserts the run's exit code, a clean stderr, the time bound and the memory bound. */
export function assertRun(run: CliRun, expected: { code: number; limitMs: number }, what: string): void {
  assert.equal(run.signal, null, `${what}: killed by ${run.signal} after ${run.ms} ms\n${run.stderr.slice(0, 2000)}`);
  assert.equal(run.code, expected.code, `${what}: exit ${run.code}, wanted ${expected.code}\nstderr: ${run.stderr.slice(0, 2000)}\nstdout: ${run.stdout.slice(0, 1000)}`);
  assert.ok(run.ms <= expected.limitMs, `${what}: took ${run.ms} ms (limit ${expected.limitMs})`);
  assert.ok(run.peakRssBytes <= CLI_MEMORY_LIMIT_BYTES, `${what}: peak RSS ${(run.peakRssBytes / 1048576).toFixed(0)} MiB (limit ${CLI_MEMORY_LIMIT_BYTES / 1048576} MiB)`);
  assertNoStackTrace(run.stderr, what);
}

/** A small deterministic PRNG, so every run tries the same cases. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000; };
}
