/**
 * The two value types every configuration uses for time and size, so a user writes `30s` or
 * `64K` the same way in the agent jobs, shipping and FIM:
 *
 *   duration: "500ms", "30s", "15m", "6h", "1d", or a number of seconds  → milliseconds
 *   size:     "64K", "256M", "1G" (also 64KB, 64KiB), or a number of bytes → bytes (K = 1024)
 *
 * Defaults are given as written (`prefault('15m')`), so generated docs show what a user types.
 */
import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i;
const SIZE_BYTES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Milliseconds from a duration as written; undefined when it is not one. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const m = DURATION.exec(value.trim());
  return m ? Math.round(Number(m[1]) * DURATION_MS[m[2]!]!) : undefined;
}

/** Bytes from a size as written; undefined when it is not one. */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const m = SIZE.exec(value.trim());
  return m ? Math.round(Number(m[1]) * SIZE_BYTES[m[2]!.toLowerCase()]!) : undefined;
}

/** A duration as people write it: the largest unit that divides it ("1500ms", "90s", "15m"). */
export function formatDuration(ms: number): string {
  for (const [unit, n] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= n && ms % n === 0) return `${ms / n}${unit}`;
  }
  return `${ms}ms`;
}

/** A size as people write it ("64K", "256M"), bytes when no unit divides it. */
export function formatSize(bytes: number): string {
  for (const [unit, n] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes >= n && bytes % n === 0) return `${bytes / n}${unit}`;
  }
  return String(bytes);
}

interface Bounds {
  /** smallest value allowed (milliseconds for a duration, bytes for a size) */
  min?: number;
  max?: number;
}

function bounded(kind: 'duration' | 'size', parse: (v: number | string) => number | undefined, format: (n: number) => string, example: string, bounds: Bounds) {
  return z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const n = parse(v);
      if (n === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected a ${kind} like ${example}, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      if (bounds.min !== undefined && n < bounds.min) ctx.addIssue({ code: 'custom', message: `at least ${format(bounds.min)}` });
      if (bounds.max !== undefined && n > bounds.max) ctx.addIssue({ code: 'custom', message: `at most ${format(bounds.max)}` });
      return n;
    });
}

/** A duration option; the parsed value is milliseconds. A bare number is seconds. */
export function duration(bounds: Bounds = { min: 1 }) {
  return bounded('duration', parseDuration, formatDuration, '"30s", "15m", "6h" (or seconds)', bounds);
}

/** A size option; the parsed value is bytes. A bare number is bytes. */
export function size(bounds: Bounds = {}) {
  return bounded('size', parseSize, formatSize, '"64K", "256M", "1G" (or bytes)', bounds);
}
