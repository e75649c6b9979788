/** The CLI from source as a child process, for tests that need it beside another running process (the agent). */
import { spawn } from 'node:child_process';
import path from 'node:path';

export function cliOutput(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const p = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => { stdout += String(d); });
  p.stderr.on('data', (d) => { stderr += String(d); });
  return new Promise((resolve) => p.on('exit', (status) => resolve({ status, stdout, stderr })));
}
