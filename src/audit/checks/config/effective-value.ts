/**
 * Finds the effective value of a setting in each supported format, through the root and the
 * per-audit memo (a file read by 20 controls is parsed once). Knows nothing of comparisons:
 * it answers what the host says, and where.
 */
import type { CheckContext } from '../../check.js';
import { loadSshdConfig, sshdEffectiveValue, sshdFilesRead, type SshdConnection, type SshdFile } from '../../../host/sshd-config.js';
import { loginDefsValue, parseLoginDefs, type LoginDefsEntry } from '../../../host/login-defs.js';
import { keyValueValue, parseKeyValue, type KeyValueEntry } from '../../../host/keyvalue.js';
import { iniDropins, iniValue, parseIni, type IniEntry } from '../../../host/ini.js';
import { loadPamStack, pamModuleName, type PamLine } from '../../../host/pam.js';
import { aideSelectionFor, loadAideConfig, type AideConfig } from '../../../host/aide-config.js';
import { loadPwqualityConfig, pwqualityValue, type PwqualityConfig } from '../../../host/pwquality.js';
import { effectiveSysctl, parseSysctlFile, type SysctlAssignment } from '../../../host/sysctl.js';
import { persistedSysctl } from '../common/persisted-sysctl.js';
import { rootGroups } from '../common/account-names.js';
import { readAccountFile } from '../../../host/account-files.js';
import { DEFAULT_PATHS, type ConfigSpec } from './schema.js';

export interface EffectiveValue {
  /** undefined: not set (and no built-in default) */
  value: string | undefined;
  /** the value as a list, when the format knows its list syntax */
  items?: string[];
  /** where it was set: file, line, and the line as read */
  setAt: { source: string; line: number; text: string }[];
  /** true when the value is the format's built-in default (sshd) */
  builtInDefault: boolean;
  /** the files that were read, for "not set in …" evidence */
  filesRead: string[];
}

export type Lookup = { kind: 'missing_file'; path: string } | ({ kind: 'found' } & EffectiveValue);

async function readIfExists<T>(ctx: CheckContext, key: string, path: string, parse: (text: string) => T): Promise<T | undefined> {
  return ctx.memo(key, async () => {
    const text = await ctx.root.readTextIfExists(path);
    return text === undefined ? undefined : parse(text);
  });
}

/** Groups of a user in the audited root, for sshd's Match Group (primary and supplementary). */
async function groupsOf(ctx: CheckContext, user: string): Promise<string[]> {
  const groups = await rootGroups(ctx);
  const out = new Set<string>();
  const passwd = await ctx.memo('accounts:/etc/passwd', () => readAccountFile(ctx.root, 'passwd'));
  const primary = passwd?.entries.find((u) => u.name === user);
  const primaryName = primary ? groups.nameOf(primary.gid) : undefined;
  if (primaryName) out.add(primaryName);
  const group = await ctx.memo('accounts:/etc/group', () => readAccountFile(ctx.root, 'group'));
  for (const g of group?.entries ?? []) if (g.members.includes(user)) out.add(g.name);
  return [...out];
}

const one = (e: { source: string; line: number }, text: string) => [{ source: e.source, line: e.line, text }];

export async function lookupEffectiveValue(spec: ConfigSpec, ctx: CheckContext): Promise<Lookup> {
  const path = spec.path ?? DEFAULT_PATHS[spec.format];
  switch (spec.format) {
    case 'sshd': {
      const file = path!;
      const config = await ctx.memo<SshdFile | undefined>(`config:sshd:${file}`, () => loadSshdConfig(ctx.root, file));
      if (!config) return { kind: 'missing_file', path: file };
      let connection: SshdConnection | undefined;
      if (spec.match) {
        connection = { ...spec.match };
        if (spec.match.user !== undefined) connection.groups = await groupsOf(ctx, spec.match.user);
      }
      const v = sshdEffectiveValue(config, spec.key, connection);
      return {
        kind: 'found', value: v.value, ...(v.items ? { items: v.items } : {}),
        setAt: v.from.map((d) => ({ source: d.file, line: d.line, text: [d.written, ...d.args].join(' ') })),
        builtInDefault: v.fromDefault, filesRead: sshdFilesRead(config),
      };
    }
    case 'login_defs': {
      const file = path!;
      const entries = await readIfExists<LoginDefsEntry[]>(ctx, `config:login_defs:${file}`, file, (t) => parseLoginDefs(t, file));
      if (!entries) return { kind: 'missing_file', path: file };
      const e = loginDefsValue(entries, spec.key);
      return { kind: 'found', value: e?.value, setAt: e ? one(e, `${e.name} ${e.value}`) : [], builtInDefault: false, filesRead: [file] };
    }
    case 'keyvalue': {
      const file = path!;
      const entries = await readIfExists<KeyValueEntry[]>(ctx, `config:keyvalue:${file}`, file, (t) => parseKeyValue(t, file));
      if (!entries) return { kind: 'missing_file', path: file };
      const e = keyValueValue(entries, spec.key);
      return { kind: 'found', value: e?.value, setAt: e ? one(e, `${e.key}=${e.value}`) : [], builtInDefault: false, filesRead: [file] };
    }
    case 'ini': {
      const file = path!;
      const entries = await ctx.memo<IniEntry[] | undefined>(`config:ini:${file}:${spec.dropins}`, async () => {
        const main = await ctx.root.readTextIfExists(file);
        const dropins = spec.dropins ? await iniDropins(ctx.root, file) : [];
        // systemd applies drop-ins even when the main file is gone; only both missing is "no file"
        if (main === undefined && dropins.length === 0) return undefined;
        const all = main === undefined ? [] : parseIni(main, file);
        for (const d of dropins) all.push(...parseIni(await ctx.root.readText(d), d));
        return all;
      });
      if (!entries) return { kind: 'missing_file', path: file };
      const e = iniValue(entries, spec.section ?? '', spec.key);
      const files = [...new Set(entries.map((x) => x.source)), file];
      return { kind: 'found', value: e?.value, setAt: e ? one(e, `${e.section ? `[${e.section}] ` : ''}${e.key}=${e.value}`) : [], builtInDefault: false, filesRead: [...new Set(files)] };
    }
    case 'pam': {
      const file = path!;
      const stack = await ctx.memo<PamLine[] | undefined>(`config:pam:${file}`, () => loadPamStack(ctx.root, file));
      if (!stack) return { kind: 'missing_file', path: file };
      const wanted = pamModuleName(spec.key);
      const control = spec.pam_control?.replace(/\s+/g, ' ');
      const line = stack.find((l) => pamModuleName(l.module) === wanted && (!spec.pam_type || l.type === spec.pam_type) && (!control || l.control.replace(/\s+/g, ' ') === control));
      const filesRead = [...new Set([file, ...stack.map((l) => l.source)])];
      if (!line) return { kind: 'found', value: undefined, setAt: [], builtInDefault: false, filesRead };
      const setAt = one(line, [line.type, line.control, line.module, ...line.args].join(' '));
      if (spec.argument === undefined) return { kind: 'found', value: line.args.join(' '), items: line.args, setAt, builtInDefault: false, filesRead };
      let value: string | undefined;
      for (const a of line.args) {
        const eq = a.indexOf('=');
        const name = eq < 0 ? a : a.slice(0, eq);
        if (name === spec.argument) value = eq < 0 ? '' : a.slice(eq + 1); // the last occurrence is what modules see
      }
      return { kind: 'found', value, setAt, builtInDefault: false, filesRead };
    }
    case 'pwquality': {
      const conf = path!;
      const pamFile = spec.pam_file ?? '/etc/pam.d/common-password';
      const config = await ctx.memo<PwqualityConfig>(`config:pwquality:${conf}:${pamFile}`, () => loadPwqualityConfig(ctx.root, pamFile, conf));
      if (!config.anyFile) return { kind: 'missing_file', path: conf };
      const e = pwqualityValue(config, spec.key);
      return { kind: 'found', value: e?.value, setAt: e ? one(e, e.text) : [], builtInDefault: false, filesRead: config.filesRead };
    }
    case 'aide': {
      const file = path!;
      const config = await ctx.memo<AideConfig | undefined>(`config:aide:${file}`, () => loadAideConfig(ctx.root, file));
      if (!config) return { kind: 'missing_file', path: file };
      const real = (p: string) => ctx.memo(`config:aide:real:${p}`, () => ctx.root.realHostPath(p).catch(() => p));
      const s = await aideSelectionFor(config, spec.key, async (a, b) => (await real(a)) === (await real(b)));
      return {
        kind: 'found', value: s?.attributes.join('+'), ...(s ? { items: s.attributes } : {}),
        setAt: s ? one(s, s.text) : [], builtInDefault: false, filesRead: config.filesRead,
      };
    }
    case 'sysctl': {
      let assignments: SysctlAssignment[];
      let filesRead: string[];
      if (path) {
        const parsed = await readIfExists<SysctlAssignment[]>(ctx, `config:sysctl:${path}`, path, (t) => parseSysctlFile(t, path));
        if (!parsed) return { kind: 'missing_file', path };
        assignments = parsed;
        filesRead = [path];
      } else {
        const set = await persistedSysctl(ctx);
        assignments = set.assignments;
        filesRead = set.files;
      }
      const a = effectiveSysctl(assignments, spec.key);
      return { kind: 'found', value: a?.value, setAt: a ? one(a, `${a.written} = ${a.value}`) : [], builtInDefault: false, filesRead };
    }
  }
}
