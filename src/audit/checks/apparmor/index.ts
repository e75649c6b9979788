/**
 * The `apparmor` check type: every AppArmor profile is in an allowed mode (enforce, or enforce
 * or complain), and there are profiles at all. Live: the kernel's list; offline (or without
 * securityfs): the policy files as they would load at boot (profiles.ts).
 */
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { outcome, type CheckType, type Evidence } from '../../check.js';
import { KERNEL_PROFILES, parseKernelProfiles, policyProfiles, type ProfileMode } from './profiles.js';
import { apparmorSchema, type ApparmorSpec } from './schema.js';

export const apparmorCheck: CheckType<typeof apparmorSchema> = {
  type: 'apparmor',
  description: 'AppArmor profiles are in allowed modes (enforce / complain), from the kernel on the live host or /etc/apparmor.d offline.',
  schema: apparmorSchema,
  async evaluate(spec: ApparmorSpec, ctx) {
    let profiles: ProfileMode[] | undefined;
    let where = '';
    try {
      if (spec.source !== 'policy') {
        try {
          profiles = parseKernelProfiles(await ctx.root.readText(KERNEL_PROFILES));
          where = 'loaded in the kernel';
        } catch (err) {
          if (!(err instanceof SpyglassError && /not_found|not_directory/.test(err.code))) throw err;
          if (spec.source === 'kernel') return outcome.notApplicable(`${KERNEL_PROFILES} is not readable here (not the live host, or AppArmor is off)`);
        }
      }
      if (!profiles) {
        const policy = await ctx.memo('apparmor:policy', () => policyProfiles(ctx.root));
        if (!policy.found) return outcome.fail('no AppArmor policy in /etc/apparmor.d', [{ source: '/etc/apparmor.d', found: 'no files', expected: `at least ${spec.min_profiles} profile(s)` }]);
        profiles = policy.profiles;
        where = 'defined in /etc/apparmor.d';
      }
    } catch (err) {
      return outcome.error(toSpyglassError(err, 'io_error', { path: KERNEL_PROFILES }));
    }
    const counts = new Map<string, number>();
    for (const p of profiles) counts.set(p.mode, (counts.get(p.mode) ?? 0) + 1);
    const summary = [...counts].map(([m, n]) => `${n} ${m}`).join(', ') || 'none';
    const bad = profiles.filter((p) => !spec.modes.includes(p.mode as ApparmorSpec['modes'][number]));
    const evidence: Evidence[] = bad.slice(0, 50).map((p) => ({ source: p.source, line: p.line, found: `${p.name} (${p.mode})`, expected: spec.modes.join(' or ') }));
    evidence.unshift({ note: `profiles ${where}: ${summary}` });
    if (profiles.length < spec.min_profiles) return outcome.fail(`${profiles.length} AppArmor profiles ${where}; at least ${spec.min_profiles} wanted`, evidence);
    if (bad.length) return outcome.fail(`${bad.length} of ${profiles.length} AppArmor profiles ${where} not in ${spec.modes.join('/')} mode: ${bad.slice(0, 5).map((p) => `${p.name} (${p.mode})`).join(', ')}${bad.length > 5 ? ', …' : ''}`, evidence);
    return outcome.pass(`${profiles.length} AppArmor profiles ${where}, all ${spec.modes.join(' or ')} (${summary})`, evidence);
  },
};
