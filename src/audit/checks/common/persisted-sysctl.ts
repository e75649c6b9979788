/**
 * The persisted kernel parameters of the audited root, read once per audit. Which files and
 * in what order is src/host/sysctl.ts's business (the system_controls table reads the same).
 */
import type { CheckContext } from '../../check.js';
import { readPersistedSysctl, type PersistedSysctl } from '../../../host/sysctl.js';

/**
 * Reads and parses the persisted set once per audit (memo key "sysctl:persisted"). A file
 * that exists but cannot be read makes the set unknown: the first such problem is thrown, so
 * the check reports an error rather than a verdict on part of the configuration.
 */
export function persistedSysctl(ctx: CheckContext): Promise<PersistedSysctl> {
  return ctx.memo('sysctl:persisted', async () => {
    const set = await readPersistedSysctl(ctx.root);
    if (set.problems.length > 0) throw set.problems[0];
    return set;
  });
}
