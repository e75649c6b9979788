/**
 * The one place a check's outcome is cleaned of password hashes before it becomes part of a
 * result (and so of the JSON report, the tables and the shipped events): every check type,
 * including ones a profile points at /etc/shadow with file_content, goes through here.
 */
import { SpyglassError } from '../core/errors.js';
import { hashValuesOf, redactHashFileLine, redactHashesByShape, redactPasswordField } from '../host/password-hashes.js';
import type { CheckOutcome, Evidence } from './check.js';

export function redactOutcome(o: CheckOutcome): CheckOutcome {
  // hashes seen on lines of hash-bearing files are also removed by value from the summary
  // and the other evidence, which quote the same line without saying where it came from
  const secrets = new Map<string, string>();
  for (const e of o.evidence) if (e.source && e.found) for (const v of hashValuesOf(e.source, e.found)) secrets.set(v, redactPasswordField(v));
  const clean = (text: string): string => {
    let out = text;
    for (const [secret, redacted] of secrets) out = out.split(secret).join(redacted);
    return redactHashesByShape(out);
  };
  const cleanOpt = (text: string | undefined): string | undefined => (text === undefined ? undefined : clean(text));
  const evidence = o.evidence.map((e): Evidence => {
    const found = e.source && e.found !== undefined ? redactHashFileLine(e.source, e.found) : e.found;
    const copy: Evidence = { ...e };
    if (found !== undefined) copy.found = clean(found);
    if (e.expected !== undefined) copy.expected = cleanOpt(e.expected);
    if (e.note !== undefined) copy.note = cleanOpt(e.note);
    return copy;
  });
  const error = o.error && clean(o.error.message) !== o.error.message
    ? new SpyglassError(o.error.code, clean(o.error.message), o.error.context, { cause: o.error.cause })
    : o.error;
  return { ...o, summary: clean(o.summary), evidence, ...(error ? { error } : {}) };
}
