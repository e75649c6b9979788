/**
 * Ctrl-C in `spyglass shell` cancels the statement that is running (it runs in the scheduler's
 * killable worker process) and the shell goes on with the next one: on a terminal (the key,
 * through script(1)'s pseudo-terminal) and with piped input (the signal).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO, RUN_CLI, TSX_LOADER } from './spyglass-process.js';

/** never ends by itself: SQLite counts forever inside its VM */
const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;';

function collect(child: ChildProcess): { text: () => string; waitFor: (re: RegExp, ms?: number) => Promise<void>; exit: Promise<number | null> } {
  let text = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => { text += d.toString('utf8'); for (const w of waiters.splice(0)) w(); };
  child.stdout!.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, ms = 60_000) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output so far:\n${text}`)), ms);
    const check = () => { if (re.test(text)) { clearTimeout(timer); resolve(); } else waiters.push(check); };
    check();
  });
  return { text: () => text, waitFor, exit };
}

test('piped input: SIGINT cancels the running statement; the next one runs and the exit status is 0', async () => {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, RUN_CLI, 'shell'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = collect(child);
  child.stdin!.write(`SELECT 'first' AS s;\n${ENDLESS}\n`);
  await out.waitFor(/first/);
  await new Promise((r) => setTimeout(r, 1500)); // the endless statement is running in the worker
  const started = Date.now();
  child.kill('SIGINT');
  await out.waitFor(/Query cancelled \(Ctrl-C\)/, 10_000);
  assert.ok(Date.now() - started < 10_000);
  child.stdin!.end(`SELECT 'after' AS s;\n`);
  assert.equal(await out.exit, 0, out.text());
  assert.match(out.text(), /after/);
});

test('on a terminal: the Ctrl-C key cancels the running statement and the prompt comes back', async () => {
  const cmd = [process.execPath, '--import', TSX_LOADER, RUN_CLI, 'shell', '--history', '/dev/null'].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const out = collect(child);
  await out.waitFor(/spyglass> /);
  child.stdin!.write(`${ENDLESS}\r`);
  await new Promise((r) => setTimeout(r, 2000));
  child.stdin!.write('\x03');
  await out.waitFor(/Query cancelled \(Ctrl-C\)/, 10_000);
  child.stdin!.write(`SELECT 'still here' AS s;\r`);
  await out.waitFor(/still here[\s\S]*spyglass> /);
  child.stdin!.write('.quit\r');
  assert.equal(await out.exit, 0, out.text());
});
