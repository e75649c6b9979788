/**
 * `kernel_module` check type: a module is disabled for loading by the modprobe configuration
 * (effective `install <name> /bin/false|/bin/true`, and `blacklist <name>`) and, on the live
 * root, not loaded. Offline the loaded part is not_applicable and the configuration decides.
 * A module that no installed kernel has (and that is not loaded) is not_applicable by default.
 */
import { toSpyglassError } from '../../../core/errors.js';
import { normalizeModuleName, readKernelModuleTrees, readLoadedModules } from '../../../host/kernel-modules.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { combineParts, type CheckPart } from '../common/combine-parts.js';
import { kernelModuleSchema, type KernelModuleSpec } from './schema.js';
import { blacklistLines, effectiveInstall, installDisables, readModprobeConfig } from '../../../host/modprobe.js';

async function evaluateKernelModule(spec: KernelModuleSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const name = normalizeModuleName(spec.name);
  try {
    const loaded = ctx.root.isLive ? await ctx.memo('kernel_module:/proc/modules', () => readLoadedModules(ctx.root)) : undefined;
    const loadedEntry = loaded?.find((m) => m.name === name);
    const trees = await ctx.memo('kernel_module:trees', () => readKernelModuleTrees(ctx.root));
    const inTrees = trees.filter((t) => t.loadable.has(name));
    const builtinIn = trees.filter((t) => t.builtin.has(name));
    const presence: Evidence = {
      source: '/lib/modules',
      found: inTrees.length ? `${spec.name} in ${inTrees.map((t) => `${t.version} (${t.loadable.get(name)})`).join(', ')}`
        : builtinIn.length ? `${spec.name} built into ${builtinIn.map((t) => t.version).join(', ')}`
          : trees.length ? `${spec.name} not in any of ${trees.length} kernel(s): ${trees.map((t) => t.version).join(', ')}` : 'no kernel module trees',
    };

    if (!inTrees.length && !builtinIn.length && !loadedEntry && spec.if_not_present !== 'evaluate') {
      const why = `${spec.name} is not available: no kernel under /lib/modules has it${loaded ? ' and it is not loaded' : ''}`;
      return spec.if_not_present === 'pass' ? outcome.pass(why, [presence]) : outcome.notApplicable(why, [presence]);
    }

    // A built-in module cannot be loaded, unloaded or blacklisted: the configuration has nothing to act on.
    if (builtinIn.length && !inTrees.length && spec.if_builtin !== 'fail' && spec.state === 'disabled') {
      const why = `${spec.name} is built into kernel ${builtinIn.map((t) => t.version).join(', ')} and is no loadable module: ` +
        'there is nothing for modprobe to keep out';
      return spec.if_builtin === 'pass' ? outcome.pass(why, [presence]) : outcome.notApplicable(why, [presence]);
    }

    const parts: CheckPart[] = [];
    if (spec.state === 'disabled') {
      const config = await ctx.memo('kernel_module:modprobe.d', () => readModprobeConfig(ctx.root));
      const install = effectiveInstall(config, name);
      const blacklist = blacklistLines(config, name);
      const ev: Evidence[] = [];
      const problems: string[] = [];
      if (install) ev.push({ source: install.file, line: install.line, found: install.text, expected: `install ${spec.name} /bin/false (or /bin/true)` });
      else ev.push({ source: 'modprobe.d', found: `no install line for ${spec.name} in ${config.files.length} file(s)`, expected: `install ${spec.name} /bin/false` });
      if (!install || !installDisables(install.rest)) problems.push(install ? `effective install command "${install.rest}" still loads it` : 'no install line');
      if (spec.require_blacklist) {
        if (blacklist.length) ev.push(...blacklist.map((b) => ({ source: b.file, line: b.line, found: b.text, expected: `blacklist ${spec.name}` })));
        else { ev.push({ source: 'modprobe.d', found: `no blacklist line for ${spec.name}`, expected: `blacklist ${spec.name}` }); problems.push('not blacklisted'); }
      }
      if (builtinIn.length && spec.if_builtin === 'fail') {
        problems.push(`built into kernel ${builtinIn.map((t) => t.version).join(', ')}: modprobe configuration cannot keep it out`);
        ev.push({ ...presence, note: 'a built-in module is always present' });
      } else if (builtinIn.length) {
        ev.push({ ...presence, note: `built into ${builtinIn.map((t) => t.version).join(', ')}: nothing to keep out there; the loadable kernels decide` });
      }
      parts.push(problems.length
        ? { status: 'fail', summary: `${spec.name} is not disabled for loading: ${problems.join(', ')}`, evidence: ev }
        : { status: 'pass', summary: `${spec.name} is disabled for loading`, evidence: ev });
    }
    if (spec.loaded !== undefined) {
      if (!ctx.root.isLive) {
        parts.push({ status: 'not_applicable', summary: 'loaded state not read: the root is not the live system', evidence: [{ source: '/proc/modules', note: 'not the live root: loaded modules unknown' }] });
      } else if (loaded === undefined) {
        parts.push({ status: 'not_applicable', summary: 'loaded state unknown: /proc/modules does not exist (no module support, or a sandboxed kernel)', evidence: [{ source: '/proc/modules', found: 'absent' }] });
      } else {
        const isLoaded = loadedEntry !== undefined;
        const ev: Evidence = { source: '/proc/modules', ...(loadedEntry ? { line: loadedEntry.line } : {}), found: isLoaded ? `${spec.name} loaded` : `${spec.name} not loaded`, expected: spec.loaded ? 'loaded' : 'not loaded' };
        parts.push(isLoaded === spec.loaded ? { status: 'pass', summary: ev.found!, evidence: [ev] } : { status: 'fail', summary: ev.found!, evidence: [ev] });
      }
    }
    const r = combineParts(parts);
    return { ...r, evidence: [presence, ...r.evidence] };
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'io_error'));
  }
}

export const kernelModuleCheck: CheckType<typeof kernelModuleSchema> = {
  type: 'kernel_module',
  description: 'A kernel module is disabled for loading in modprobe.d (install /bin/false, blacklist) and, on the live root, not loaded.',
  schema: kernelModuleSchema,
  evaluate: evaluateKernelModule,
};
