/** The agent's version, read once from package.json so releases need one edit. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

function readVersion(): string {
  // src/core/version.ts and dist/core/version.js are both two levels below the package root
  const pkgPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
  try {
    return (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-unknown';
  }
}

export const AGENT_VERSION = readVersion();
