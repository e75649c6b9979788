/** The audit engine on fixture roots: conditions, preconditions, exceptions, errors, timeouts, memo, filters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { HostRoot } from '../core/host-root.js';
import { outcome, type CheckType } from './check.js';
import { CHECK_TYPES } from './checks/registry.js';
import { runAudit } from './engine.js';
import type { LoadedControl, LoadedProfile } from './profile/load-profile.js';
import type { CheckSpec } from './profile/schema.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';

let memoComputes = 0;
let inFlight = 0;
let maxInFlight = 0;
const probe: CheckType = {
  type: 'probe',
  description: 'test check: behaves as told',
  schema: z.object({ do: z.enum(['pass', 'fail', 'na', 'throw', 'hang', 'memo', 'slow', 'late-throw']) }).strict(),
  async evaluate(spec: { do: string }, ctx) {
    switch (spec.do) {
      case 'late-throw':
        await new Promise((r) => setTimeout(r, 150));
        throw new Error('failed after its budget ran out');
      case 'slow': {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return outcome.pass('slow pass');
      }
      case 'pass': return outcome.pass('probe passed');
      case 'fail': return outcome.fail('probe failed', [{ found: 'x' }]);
      case 'na': return outcome.notApplicable('probe n/a');
      case 'throw': throw new Error('boom');
      case 'memo': {
        const v = await ctx.memo('probe:k', async () => { memoComputes++; return 42; });
        return outcome.pass(`memo ${v}`);
      }
      default: return new Promise(() => { ctx.progress('still going'); }); // never settles: the engine stops waiting
    }
  },
};
const TYPES = [...CHECK_TYPES, probe];

function control(id: string, checks: CheckSpec[], extra: Partial<LoadedControl> = {}): LoadedControl {
  return { id, title: `control ${id}`, section: id.split('.')[0]!, level: 1, severity: 'medium', tags: [], condition: 'all', checks, profileId: 'p', source: { file: 'p.yaml', line: 1 }, ...extra };
}
function profile(controls: LoadedControl[], exceptions: LoadedProfile['exceptions'] = []): LoadedProfile {
  return { file: 'p.yaml', id: 'p', title: 'P', version: '1', targets: [], selectedByDefault: true, sections: { '1': 'One' }, controls, exceptions, files: ['p.yaml'] };
}
const p = (d: string): CheckSpec => ({ type: 'probe', do: d });

test('conditions, preconditions, errors with context, exceptions and the score', async () => {
  const fixture = await buildFixtureRoot({ '/etc/hostname': 'fixture-host\n', '/etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian 12"\n', '/etc/motd': 'hello\n' });
  try {
    const prof = profile([
      control('1.1', [p('pass'), p('na')]),
      control('1.2', [p('pass'), p('fail')]),
      control('1.3', [p('fail'), p('pass')], { condition: 'any' }),
      control('1.4', [p('fail'), p('fail')], { condition: 'none' }),
      control('1.5', [p('pass')], { preconditions: [p('fail')] }),
      control('1.6', [p('throw')]),
      control('1.7', [p('fail')]),
      control('1.8', [p('fail')]),
      control('2.1', [{ type: 'file', path: '/etc/motd', exists: true, follow_symlinks: true, missing: 'fail' }]),
      control('2.2', [{ type: 'file_content', path: '/etc/motd', pattern: '^hello$', expect: 'absent', scope: 'any', ignore_comments: false, comment_prefix: '#', ignore_case: false }]),
    ], [
      { control: '1.7', reason: 'accepted risk', expires: '2026-12-31', profile: 'p', source: { file: 'p.yaml', line: 9 } },
      { control: '1.8', reason: 'was accepted', expires: '2026-01-01', profile: 'p', source: { file: 'p.yaml', line: 10 } },
    ]);
    const r = await runAudit({ profiles: [prof], root: new HostRoot(fixture.dir), checkTypes: TYPES, now: () => new Date('2026-06-01T12:00:00Z') });
    const st = Object.fromEntries(r.controls.map((c) => [c.id, c.status]));
    assert.deepEqual(st, { '1.1': 'pass', '1.2': 'fail', '1.3': 'pass', '1.4': 'pass', '1.5': 'not_applicable', '1.6': 'error', '1.7': 'controlled', '1.8': 'fail', '2.1': 'pass', '2.2': 'fail' });
    const c16 = r.controls.find((c) => c.id === '1.6')!;
    assert.deepEqual(c16.checks[0]!.error?.context, { profile: 'p', control: '1.6', check: 'probe' });
    assert.match(c16.summary, /boom/);
    assert.match(r.controls.find((c) => c.id === '1.5')!.summary, /precondition not met: probe failed/);
    assert.equal(r.controls.find((c) => c.id === '1.7')!.exception?.expired, false);
    assert.match(r.controls.find((c) => c.id === '1.8')!.summary, /exception expired 2026-01-01/);
    assert.equal(r.controls.find((c) => c.id === '2.2')!.checks[0]!.evidence[0]!.line, 1);
    assert.deepEqual(r.summary.counts, { pass: 4, fail: 3, controlled: 1, not_applicable: 1, error: 1 });
    assert.equal(r.summary.score, 62.5); // (4 + 1) / 8
    assert.equal(r.summary.score_without_exceptions, 50);
    assert.deepEqual(r.host, { hostname: 'fixture-host', os: { id: 'debian', version_id: '12', pretty_name: 'Debian 12' }, kernel: null, root: fixture.dir, live: false });
    assert.equal(r.schema_version, 1);
    assert.ok(r.controls.every((c) => c.checks.every((k) => typeof k.duration_ms === 'number')));
  } finally {
    await fixture.cleanup();
  }
});

test('a check that never settles is an error after its time budget; the audit goes on; memo computes once', async () => {
  memoComputes = 0;
  const events: string[] = [];
  const prof = profile([control('1.1', [p('hang')]), control('1.2', [p('memo')]), control('1.3', [p('memo')]), control('1.4', [p('memo')])]);
  const t0 = Date.now();
  const r = await runAudit({ profiles: [prof], root: new HostRoot('/'), checkTypes: TYPES, checkTimeoutMs: 200, concurrency: 2, onProgress: (e) => { if (e.note) events.push(e.note); } });
  assert.ok(Date.now() - t0 < 5000);
  const c = r.controls[0]!;
  assert.equal(c.status, 'error');
  assert.equal(c.checks[0]!.error?.code, 'timeout');
  assert.deepEqual(r.controls.slice(1).map((x) => x.status), ['pass', 'pass', 'pass']);
  assert.equal(memoComputes, 1);
  assert.deepEqual(events, ['still going']);
  assert.equal(r.host.live, true);
  assert.ok(r.host.kernel);
});

test('filters: tags (globs over tags, ids and CIS refs), level and control ids', async () => {
  const prof = profile([
    control('5.2.1', [p('pass')], { tags: ['ssh'], references: { cis: ['5.2.1'] } }),
    control('5.3.1', [p('pass')], { level: 2 }),
    control('6.1.1', [p('pass')], { tags: ['files'] }),
  ]);
  const run = async (filters: object) => (await runAudit({ profiles: [prof], root: new HostRoot('/'), checkTypes: TYPES, filters })).controls.map((c) => c.id);
  assert.deepEqual(await run({ tags: ['CIS-5.*'] }), ['5.2.1']);
  assert.deepEqual(await run({ tags: ['5.*'] }), ['5.2.1', '5.3.1']);
  assert.deepEqual(await run({ tags: ['ssh', 'files'] }), ['5.2.1', '6.1.1']);
  assert.deepEqual(await run({ level: 1 }), ['5.2.1', '6.1.1']);
  assert.deepEqual(await run({ skip_tags: ['files', 'CIS-5.2.*'] }), ['5.3.1']);
  assert.deepEqual(await run({ controls: ['6.*', '5.3.1'] }), ['5.3.1', '6.1.1']);
  const r = await runAudit({ profiles: [prof], root: new HostRoot('/'), checkTypes: TYPES, filters: { level: 1 } });
  assert.equal(r.profiles[0]!.controls_selected, 2);
  assert.equal(r.profiles[0]!.controls_total, 3);
});

test('controls run concurrently, never more than the limit at once, results in profile order', async () => {
  maxInFlight = 0;
  const prof = profile(Array.from({ length: 12 }, (_, i) => control(`9.${i + 1}`, [p('slow')])));
  const r = await runAudit({ profiles: [prof], root: new HostRoot('/'), checkTypes: TYPES, concurrency: 3 });
  assert.equal(maxInFlight, 3);
  assert.deepEqual(r.controls.map((c) => c.id), prof.controls.map((c) => c.id));
  assert.ok(r.controls.every((c) => c.status === 'pass'));
});

test('a check that fails after its budget ran out does not bring the process down', async () => {
  const prof = profile([control('1.1', [p('late-throw')])]);
  const r = await runAudit({ profiles: [prof], root: new HostRoot('/'), checkTypes: TYPES, checkTimeoutMs: 50 });
  assert.equal(r.controls[0]!.checks[0]!.error?.code, 'timeout');
  await new Promise((resolve) => setTimeout(resolve, 200)); // the late rejection happens here, handled
});

test('the engine awaits its pace hook before each control (the agent CPU governor)', async () => {
  const fixture = await buildFixtureRoot({ '/etc/hostname': 'h\n' });
  try {
    let paced = 0;
    const result = await runAudit({
      profiles: [profile([control('1.1', [p('pass')]), control('1.2', [p('fail')]), control('1.3', [p('na')])])],
      root: new HostRoot(fixture.dir), checkTypes: TYPES, concurrency: 1, pace: async () => { paced++; },
    });
    assert.equal(result.controls.length, 3);
    assert.equal(paced, 3);
  } finally {
    await fixture.cleanup();
  }
});

test('condition one: exactly one pass passes; two passes or none fail; an error beside one pass is an error', async () => {
  const prof = profile([
    control('1.1', [p('pass'), p('fail'), p('fail')], { condition: 'one' }),
    control('1.2', [p('pass'), p('pass'), p('fail')], { condition: 'one' }),
    control('1.3', [p('fail'), p('fail')], { condition: 'one' }),
    control('1.4', [p('pass'), p('throw')], { condition: 'one' }),
    control('1.5', [p('na'), p('pass'), p('na')], { condition: 'one' }),
    control('1.6', [p('na')], { condition: 'one' }),
  ]);
  const r = await runAudit({ profiles: [prof], root: new HostRoot('/'), checkTypes: TYPES });
  const st = Object.fromEntries(r.controls.map((c) => [c.id, c.status]));
  assert.deepEqual(st, { '1.1': 'pass', '1.2': 'fail', '1.3': 'fail', '1.4': 'error', '1.5': 'pass', '1.6': 'not_applicable' });
  assert.match(r.controls.find((c) => c.id === '1.2')!.summary, /only one should hold, 2 do/);
});
