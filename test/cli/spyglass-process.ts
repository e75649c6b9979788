/** Runs the CLI as a process from source (node --import tsx), as a user would run it. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RUN_CLI = path.join(REPO, 'test/helpers/run-cli.ts');
/** tsx's loader by absolute URL, so the CLI also starts from a directory outside the repository */
export const TSX_LOADER = import.meta.resolve('tsx');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function spyglass(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, RUN_CLI, ...args], {
    cwd: options.cwd ?? REPO, encoding: 'utf8', input: options.input ?? '', timeout: 180_000,
    env: { ...process.env, NO_COLOR: '', ...options.env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
