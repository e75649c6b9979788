/** JSON report: the AuditResult as is (schema in docs/audit-result.md, `schema_version`). */
import type { AuditResult } from '../result.js';

export function renderJson(result: AuditResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
