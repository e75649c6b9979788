/**
 * The shared conformance suite every check type runs (STYLE.md rule 8): for each status a
 * check type can give, at least one case on a fixture root, asserting the status, that the
 * outcome carries a summary, that failures and passes carry evidence, and that errors carry a
 * SpyglassError. Use it from `checks/<type>/index.test.ts`:
 *
 *   runCheckConformance(fileCheck, {
 *     pass: [{ name: 'mode ok', tree: { '/etc/shadow': { content: '', mode: 0o640 } }, spec: {...} }],
 *     fail: [...], not_applicable: [...], error: [...],
 *   });
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../../../core/host-root.js';
import { SpyglassError } from '../../../core/errors.js';
import type { CheckContext, CheckOutcome, CheckStatus, CheckType } from '../../check.js';
import { buildFixtureRoot, type FixtureTree } from '../../../../test/helpers/fixture-root.js';

export interface ConformanceCase {
  name: string;
  tree: FixtureTree;
  /** the check's options, without `type` (validated against the check type's schema first) */
  spec: unknown;
  /** a substring expected in the summary or some evidence field */
  mentions?: string;
  /** evaluate on a non-live root that is this fixture (default) */
}

export type ConformanceCases = Record<CheckStatus, ConformanceCase[]>;

/** A CheckContext over a root, with a working memo and a signal that never aborts. */
export function testCheckContext(root: HostRoot): CheckContext {
  const memo = new Map<string, Promise<unknown>>();
  return {
    root,
    signal: new AbortController().signal,
    progress: () => {},
    memo: <T>(key: string, compute: () => Promise<T>) => {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as Promise<T>;
    },
  };
}

/** Parses the spec with the check's schema and evaluates it on a fresh fixture root. */
export async function evaluateOnFixture(checkType: CheckType, tree: FixtureTree, spec: unknown): Promise<CheckOutcome> {
  const fixture = await buildFixtureRoot(tree);
  try {
    const parsed = checkType.schema.parse(spec);
    return await checkType.evaluate(parsed, testCheckContext(new HostRoot(fixture.dir)));
  } finally {
    await fixture.cleanup();
  }
}

export function runCheckConformance(checkType: CheckType, cases: ConformanceCases): void {
  for (const status of ['pass', 'fail', 'not_applicable', 'error'] as const) {
    test(`${checkType.type} conformance: has ${status} cases`, () => {
      assert.ok(cases[status].length > 0, `check type ${checkType.type} must show a ${status} case`);
    });
    for (const c of cases[status]) {
      test(`${checkType.type} conformance: ${status}: ${c.name}`, async () => {
        const result = await evaluateOnFixture(checkType, c.tree, c.spec);
        assert.equal(result.status, status, `summary: ${result.summary}; evidence: ${JSON.stringify(result.evidence)}`);
        assert.ok(result.summary.length > 0, 'every outcome says why');
        if (status === 'error') assert.ok(result.error instanceof SpyglassError, 'an error outcome carries a SpyglassError');
        if (status === 'fail') assert.ok(result.evidence.length > 0, 'a failure shows its evidence');
        if (c.mentions) {
          const text = result.summary + ' ' + JSON.stringify(result.evidence);
          assert.ok(text.includes(c.mentions), `expected "${c.mentions}" in: ${text}`);
        }
      });
    }
  }
}
