/**
 * `mount` check type: a path is a separate mount and carries the wanted options (nodev,
 * nosuid, noexec, …) and none of the forbidden ones. Runtime: `<root>/proc/self/mounts`, live
 * root only. Persisted: `<root>/etc/fstab`, else an enabled or static systemd `.mount` unit
 * for the path (e.g. tmp.mount). Which part is read follows `scope`.
 */
import { toSpyglassError } from '../../../core/errors.js';
import { effectiveMountOptions, findMount, mountUnitOf, parseMountTable, systemdEscapePath, type MountEntry } from '../../../host/mounts.js';
import { lookupUnitState, readUnitScan } from '../../../host/systemd-units.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { combineParts, type CheckPart } from '../common/combine-parts.js';
import { mountSchema, type MountSpec } from './schema.js';

interface FoundMount { entry: Pick<MountEntry, 'source' | 'fstype' | 'options'>; source: string; line?: number; what: string }

function judgeOptions(spec: MountSpec, found: FoundMount, where: string): CheckPart {
  const effective = effectiveMountOptions(found.entry.options);
  const missing = spec.options.filter((o) => !effective.has(o));
  const forbidden = spec.forbidden_options.filter((o) => effective.has(o));
  const expectedParts = [...spec.options, ...spec.forbidden_options.map((o) => `not ${o}`)];
  const ev: Evidence = {
    source: found.source, ...(found.line ? { line: found.line } : {}),
    found: `${found.what}: ${found.entry.source} on ${spec.path} type ${found.entry.fstype} (${found.entry.options.join(',')})`,
    expected: expectedParts.length ? `separate mount with ${expectedParts.join(', ')}` : 'separate mount',
  };
  const problems = [...missing.map((o) => `lacks ${o}`), ...forbidden.map((o) => `has ${o}`)];
  if (problems.length) return { status: 'fail', summary: `${spec.path} (${where}) ${problems.join(', ')}`, evidence: [{ ...ev, note: problems.join(', ') }] };
  return { status: 'pass', summary: `${spec.path} is a separate mount (${where})${spec.options.length ? ` with ${spec.options.join(',')}` : ''}`, evidence: [ev] };
}

function missingPart(spec: MountSpec, where: string, ev: Evidence): CheckPart {
  const summary = `${spec.path} is not a separate mount (${where})`;
  const status = spec.missing === 'fail' ? 'fail' : spec.missing;
  return { status, summary, evidence: [{ ...ev, expected: 'separate mount' }] };
}

async function runtimePart(spec: MountSpec, ctx: CheckContext): Promise<CheckPart> {
  if (!ctx.root.isLive) return { status: 'not_applicable', summary: 'runtime mounts not read: the root is not the live system', evidence: [{ source: '/proc/self/mounts', note: 'offline root' }] };
  const table = await ctx.memo('mount:/proc/self/mounts', async () => {
    const text = await ctx.root.readTextIfExists('/proc/self/mounts');
    return text === undefined ? undefined : parseMountTable(text);
  });
  if (!table) return { status: 'not_applicable', summary: 'runtime mounts unknown: /proc/self/mounts does not exist', evidence: [{ source: '/proc/self/mounts', found: 'absent' }] };
  const entry = findMount(table, spec.path);
  if (!entry) return missingPart(spec, 'now', { source: '/proc/self/mounts', found: `no mount on ${spec.path}` });
  return judgeOptions(spec, { entry, source: '/proc/self/mounts', line: entry.line, what: 'mounted' }, 'now');
}

async function persistedPart(spec: MountSpec, ctx: CheckContext): Promise<CheckPart> {
  const fstab = await ctx.memo('mount:/etc/fstab', async () => {
    const text = await ctx.root.readTextIfExists('/etc/fstab');
    return text === undefined ? undefined : parseMountTable(text);
  });
  const entry = fstab ? findMount(fstab, spec.path) : undefined;
  if (entry) return judgeOptions(spec, { entry, source: '/etc/fstab', line: entry.line, what: 'fstab' }, 'at boot');
  // a mount unit, e.g. tmp.mount, counts when it is enabled or static (pulled in by its target)
  const unitName = `${systemdEscapePath(spec.path)}.mount`;
  const links = await ctx.memo('systemd:unit-scan', () => readUnitScan(ctx.root));
  const unit = await lookupUnitState(ctx.root, links, unitName);
  if ((unit.state === 'enabled' || unit.state === 'static') && unit.fragment) {
    const m = mountUnitOf(unit.settings);
    return judgeOptions(spec, { entry: { source: m.what ?? '?', fstype: m.type ?? '?', options: m.options.length ? m.options : ['defaults'] }, source: unit.fragment, what: `${unitName} (${unit.state})` }, 'at boot');
  }
  const unitNote = unit.state === 'absent' ? `no ${unitName}` : `${unitName} is ${unit.state}`;
  return missingPart(spec, 'at boot', { source: '/etc/fstab', found: `${fstab ? 'no entry' : 'no /etc/fstab'} for ${spec.path}; ${unitNote}` });
}

async function evaluateMount(spec: MountSpec, ctx: CheckContext): Promise<CheckOutcome> {
  try {
    const scope = spec.scope === 'auto' ? (ctx.root.isLive ? 'runtime' : 'persisted') : spec.scope;
    const parts: CheckPart[] = [];
    if (scope === 'runtime' || scope === 'both') parts.push(await runtimePart(spec, ctx));
    if (scope === 'persisted' || scope === 'both') parts.push(await persistedPart(spec, ctx));
    return combineParts(parts);
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'io_error', { path: spec.path }));
  }
}

export const mountCheck: CheckType<typeof mountSchema> = {
  type: 'mount',
  description: 'A path is a separate mount with given options and without forbidden ones, from /proc/self/mounts on a live root and /etc/fstab (or a .mount unit) otherwise.',
  schema: mountSchema,
  evaluate: evaluateMount,
};
