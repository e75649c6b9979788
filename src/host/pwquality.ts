/**
 * libpwquality's settings as pam_pwquality sees them. libpwquality reads every
 * /etc/security/pwquality.conf.d/*.conf (in name order) and then pwquality.conf, a later
 * assignment overriding an earlier one; pam_pwquality then applies its own module arguments
 * on top. So the effective value is the last of: drop-ins, main file, PAM line argument.
 * Lines are `name = value` or a bare flag (`enforce_for_root`); `#` starts a comment.
 */
import type { HostRoot } from '../core/host-root.js';
import { loadPamStack, pamModuleName } from './pam.js';

export const PWQUALITY_CONF = '/etc/security/pwquality.conf';
export const PWQUALITY_DROPIN_DIR = '/etc/security/pwquality.conf.d';

export interface PwqualitySetting {
  key: string;
  /** "" for a bare flag */
  value: string;
  source: string;
  line: number;
  text: string;
}

export function parsePwqualityFile(text: string, source: string): PwqualitySetting[] {
  const out: PwqualitySetting[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.replace(/#.*$/, '').trim();
    if (t === '') continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(.*))?$/.exec(t);
    if (!m) continue; // libpwquality skips lines it cannot read rather than failing the PAM stack
    out.push({ key: m[1]!, value: (m[2] ?? '').trim(), source, line: i + 1, text: t });
  }
  return out;
}

export interface PwqualityConfig {
  /** in the order libpwquality applies them: drop-ins, main file, then the PAM line's arguments */
  settings: PwqualitySetting[];
  filesRead: string[];
  /** false when neither pwquality.conf nor a drop-in nor the PAM file exists */
  anyFile: boolean;
}

/** Reads the whole effective pwquality configuration; `pamFile` is the stack that calls pam_pwquality. */
export async function loadPwqualityConfig(root: HostRoot, pamFile: string, conf = PWQUALITY_CONF): Promise<PwqualityConfig> {
  const settings: PwqualitySetting[] = [];
  const filesRead: string[] = [];
  const dropinDir = conf === PWQUALITY_CONF ? PWQUALITY_DROPIN_DIR : `${conf}.d`;
  for (const name of await root.listDir(dropinDir)) {
    if (!name.endsWith('.conf')) continue;
    const file = `${dropinDir}/${name}`;
    const text = await root.readTextIfExists(file);
    if (text === undefined) continue;
    filesRead.push(file);
    settings.push(...parsePwqualityFile(text, file));
  }
  const main = await root.readTextIfExists(conf);
  if (main !== undefined) { filesRead.push(conf); settings.push(...parsePwqualityFile(main, conf)); }
  const stack = await loadPamStack(root, pamFile);
  if (stack) {
    filesRead.push(...new Set(stack.map((l) => l.source)));
    for (const l of stack) {
      if (l.type !== 'password' || pamModuleName(l.module) !== 'pam_pwquality') continue;
      for (const a of l.args) {
        const eq = a.indexOf('=');
        settings.push({ key: eq < 0 ? a : a.slice(0, eq), value: eq < 0 ? '' : a.slice(eq + 1), source: l.source, line: l.line, text: [l.type, l.control, l.module, ...l.args].join(' ') });
      }
    }
  }
  return { settings, filesRead: [...new Set(filesRead)], anyFile: filesRead.length > 0 };
}

export function pwqualityValue(config: PwqualityConfig, key: string): PwqualitySetting | undefined {
  let found: PwqualitySetting | undefined;
  for (const s of config.settings) if (s.key === key) found = s;
  return found;
}
