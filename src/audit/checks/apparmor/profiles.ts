/**
 * AppArmor profiles and their modes: on the live host from the kernel's list
 * (/sys/kernel/security/apparmor/profiles: "name (mode)"), otherwise from the policy on disk
 * (/etc/apparmor.d: profile headers and their flags, minus profiles linked from disable/, with
 * force-complain/ links forcing complain), as apparmor.service would load it at boot.
 */
import path from 'node:path';
import type { HostRoot } from '../../../core/host-root.js';
import { SpyglassError } from '../../../core/errors.js';

export interface ProfileMode {
  name: string;
  mode: string;
  source: string;
  line?: number;
}

export const KERNEL_PROFILES = '/sys/kernel/security/apparmor/profiles';
const POLICY_DIR = '/etc/apparmor.d';
/** Entries of /etc/apparmor.d that are not profile files. */
const NOT_PROFILES = new Set(['abstractions', 'tunables', 'local', 'disable', 'force-complain', 'cache', 'cache.d', 'apache2.d', 'libvirt', 'abi']);

export function parseKernelProfiles(text: string): ProfileMode[] {
  const out: ProfileMode[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^(.*\S)\s+\(([a-z_]+)\)\s*$/.exec(line);
    if (m) out.push({ name: m[1]!, mode: m[2]!, source: KERNEL_PROFILES, line: i + 1 });
  });
  return out;
}

/**
 * Top-level profile headers of one policy file: `profile NAME [ATTACH] [flags=(…)] {` or
 * `/path/to/binary [flags=(…)] {`. Child profiles (`^hat`, nested `profile`) inherit and are
 * not listed separately, as aa-status counts them under their parent.
 */
export function parsePolicyFile(text: string, source: string): ProfileMode[] {
  const out: ProfileMode[] = [];
  let depth = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    if (depth === 0) {
      const m = /^(?:profile\s+(\S+)(?:\s+(?!flags\b|\()[^\s{]+)?|(\/\S+|@\{\S+\}\S*))\s*(?:(?:flags\s*=\s*)?\(([^)]*)\))?\s*\{/.exec(line);
      if (m) {
        const flags = (m[3] ?? '').split(/[\s,]+/).filter(Boolean);
        const mode = flags.includes('complain') ? 'complain' : flags.includes('unconfined') ? 'unconfined' : flags.includes('kill') ? 'kill' : flags.includes('prompt') ? 'prompt' : 'enforce';
        out.push({ name: m[1] ?? m[2]!, mode, source, line: i + 1 });
      }
    }
    for (const ch of line) {
      if (ch === '{') depth++;
      else if (ch === '}') depth = Math.max(0, depth - 1);
    }
  });
  return out;
}

async function listDir(root: HostRoot, dir: string): Promise<string[]> {
  const found = await root.glob(`${dir}/*`);
  return found;
}

/** Profiles and modes the policy on disk gives at boot. */
export async function policyProfiles(root: HostRoot): Promise<{ profiles: ProfileMode[]; found: boolean }> {
  const entries = await listDir(root, POLICY_DIR);
  if (entries.length === 0) return { profiles: [], found: false };
  const disabled = new Set((await listDir(root, `${POLICY_DIR}/disable`)).map((p) => path.posix.basename(p)));
  const forced = new Set((await listDir(root, `${POLICY_DIR}/force-complain`)).map((p) => path.posix.basename(p)));
  const profiles: ProfileMode[] = [];
  for (const file of entries) {
    const base = path.posix.basename(file);
    if (NOT_PROFILES.has(base) || base.startsWith('.') || base.endsWith('.dpkg-dist') || base.endsWith('.dpkg-old') || base.endsWith('~') || disabled.has(base)) continue;
    let text: string;
    try {
      text = await root.readText(file);
    } catch (err) {
      if (err instanceof SpyglassError && /not_found|not_directory|is_directory|not_file/.test(err.code)) continue;
      if ((err as SpyglassError).message?.includes('directory')) continue;
      throw err;
    }
    for (const p of parsePolicyFile(text, file)) profiles.push(forced.has(base) ? { ...p, mode: 'complain' } : p);
  }
  return { profiles, found: true };
}
