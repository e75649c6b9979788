/**
 * Waiting for something a real process does (an event in a file, a port that listens), for the
 * tests that run the agent, git daemon or rsyslog: one polling loop with a deadline that says
 * what it waited for, and the JSON-lines reader the file sinks' output is read with.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** checked before each probe: a reason to stop waiting (e.g. the process under test exited) */
  stopIf?: () => string | undefined;
}

/** Polls `probe` until it returns a truthy value, or fails naming `what` after the deadline. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100, stopIf } = options;
  const start = Date.now();
  for (;;) {
    const stop = stopIf?.();
    if (stop) throw new Error(`${stop} while waiting for ${what}`);
    const value = probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The JSON lines of a file ([] while it does not exist). */
export function readJsonLines(file: string): Array<Record<string, any>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(port: number, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); }).on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() - start > timeoutMs) throw new Error(`${what} did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
