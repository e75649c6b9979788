/**
 * The contract every check type fulfils. A check type is a folder under
 * `src/audit/checks/<type>/` whose `index.ts` exports a `CheckType`; the folder name, the
 * registry key (`checks/registry.ts`) and the `type:` a profile writes are the same string.
 *
 * Lifecycle: the profile loader validates a check's YAML against `schema` (no I/O, so a
 * profile can be validated anywhere); the engine then calls `evaluate` once per audit with
 * the parsed spec. `evaluate` reads the host only through `ctx.root`, never writes, never
 * runs a program, and never throws for a host condition: an unreadable file or a value that
 * cannot be parsed is an `error` outcome with a message, so one control's problem never
 * stops the others. (If it throws anyway, the engine turns that into an `error` outcome.)
 */
import type { z } from 'zod';
import type { HostRoot } from '../core/host-root.js';
import type { SpyglassError } from '../core/errors.js';

export type CheckStatus = 'pass' | 'fail' | 'not_applicable' | 'error';

/** One fact that backs a verdict: where it was seen, what was found, what was wanted. */
export interface Evidence {
  /** host path of the file the fact comes from, or a pseudo-source such as "kernel" or "/proc/mounts" */
  source?: string;
  /** 1-based line in `source` */
  line?: number;
  /** what was found (a line, a value, a mode, a list of paths) */
  found?: string;
  /** what the check wanted */
  expected?: string;
  /** anything else a person needs to read the verdict */
  note?: string;
}

export interface CheckOutcome {
  status: CheckStatus;
  /** one line a person reads in a table: why this status */
  summary: string;
  evidence: Evidence[];
  /** set when status is 'error' */
  error?: SpyglassError;
}

export interface CheckContext {
  root: HostRoot;
  /** aborted when the audit's time budget for this check runs out */
  signal: AbortSignal;
  /** for long checks (tree scans): how far along; the CLI shows it on a TTY */
  progress(note: string): void;
  /**
   * Per-audit memo shared by all checks, so 40 controls reading sshd_config parse it once.
   * Keys are namespaced by the check type that owns them ("sshd:/etc/ssh/sshd_config").
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface CheckType<S extends z.ZodType = z.ZodType> {
  /** the `type:` profiles write, e.g. "file", "sysctl" */
  readonly type: string;
  /** one sentence for the profile reference docs */
  readonly description: string;
  /**
   * Options of this check type (without `type`): unknown keys rejected, every field
   * described, defaults declared. The profile JSON Schema is generated from it.
   */
  readonly schema: S;
  evaluate(spec: z.infer<S>, ctx: CheckContext): Promise<CheckOutcome>;
}

/** Helpers so check types build outcomes the same way. */
export const outcome = {
  pass: (summary: string, evidence: Evidence[] = []): CheckOutcome => ({ status: 'pass', summary, evidence }),
  fail: (summary: string, evidence: Evidence[] = []): CheckOutcome => ({ status: 'fail', summary, evidence }),
  notApplicable: (summary: string, evidence: Evidence[] = []): CheckOutcome => ({ status: 'not_applicable', summary, evidence }),
  error: (error: SpyglassError, evidence: Evidence[] = []): CheckOutcome => ({ status: 'error', summary: error.message, evidence, error }),
};
