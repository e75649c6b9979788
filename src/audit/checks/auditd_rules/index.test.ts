/** Tests of the `auditd_rules` check type: the conformance suite, rule normal forms and coverage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheckConformance, evaluateOnFixture } from '../common/conformance.test-helpers.js';
import { parseAuditRule, coverage } from './audit-rule.js';
import { auditdRulesCheck } from './index.js';

const RULES = `## CIS-style rules, written the way people do
-w /etc/sudoers -p wa -k scope
-w /etc/sudoers.d/ -p rwa -k scope
-a exit,always -S settimeofday -S adjtimex -F arch=b64 -k time-change
-a always,exit -F arch=b64 -S clock_settime -F key=time-change
-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat -F auid>=1000 -F auid!=-1 -k perm_mod
-e 2
`;

runCheckConformance(auditdRulesCheck, {
  pass: [
    { name: 'watches with wider perms, syscalls split over rules in another order', tree: { '/etc/audit/rules.d/50-cis.rules': RULES },
      spec: { rules: ['-w /etc/sudoers -p wa', '-w /etc/sudoers.d -p wa', '-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time'] }, mentions: '50-cis.rules' },
    { name: 'auid unset spelled differently', tree: { '/etc/audit/rules.d/50-cis.rules': RULES },
      spec: { rules: ['-a always,exit -F arch=b64 -S fchmod -F auid!=unset -F auid>=1000'] } },
    { name: 'immutable last', tree: { '/etc/audit/rules.d/50-cis.rules': RULES, '/etc/audit/rules.d/99-finalize.rules': '-e 2\n' }, spec: { rules: ['-e 2'] } },
  ],
  fail: [
    { name: 'watch without the write permission', tree: { '/etc/audit/rules.d/a.rules': '-w /etc/passwd -p ra\n' }, spec: { rules: ['-w /etc/passwd -p wa'] }, mentions: '/etc/passwd' },
    { name: 'rule narrower than wanted (extra filter)', tree: { '/etc/audit/rules.d/a.rules': '-a always,exit -F arch=b64 -S mount -F auid>=1000 -F uid=0\n' },
      spec: { rules: ['-a always,exit -F arch=b64 -S mount -F auid>=1000'] }, mentions: 'mount' },
    { name: 'only the b32 rule', tree: { '/etc/audit/rules.d/a.rules': '-a always,exit -F arch=b32 -S mount\n' }, spec: { rules: ['-a always,exit -F arch=b64 -S mount'] } },
    { name: 'no rule file', tree: {}, spec: { rules: ['-e 2'] }, mentions: 'no audit rule file' },
    { name: '-e 2 not last', tree: { '/etc/audit/rules.d/10.rules': '-e 2\n', '/etc/audit/rules.d/20.rules': '-e 1\n' }, spec: { rules: ['-e 2'] } },
  ],
  not_applicable: [
    { name: 'no rule file, missing: not_applicable', tree: {}, spec: { rules: ['-w /etc/shadow -p wa'], missing: 'not_applicable' } },
  ],
  error: [
    { name: 'unreadable rule file (symlink loop)', tree: { '/etc/audit/rules.d/loop.rules': { symlink: '/etc/audit/rules.d/loop.rules' } }, spec: { rules: ['-e 2'] } },
  ],
});

test('parseAuditRule: normal forms', () => {
  const a = parseAuditRule('-a exit,always -S b -S a,c -F arch=b64 -F auid!=4294967295 -k x')!;
  const b = parseAuditRule('-a always,exit -F auid!=unset -F arch=b64 -S a,b,c')!;
  assert.ok(a.kind === 'syscall' && b.kind === 'syscall');
  assert.deepEqual([...a.syscalls].sort(), [...b.syscalls].sort());
  assert.deepEqual([...a.fields].sort(), [...b.fields].sort());
  assert.equal(a.key, 'x');
  const w = parseAuditRule('-w /etc/sudoers.d/ -p wa')!;
  assert.ok(w.kind === 'watch' && w.path === '/etc/sudoers.d');
  assert.equal(parseAuditRule('# comment'), undefined);
  assert.equal(parseAuditRule('   '), undefined);
  assert.throws(() => parseAuditRule('-w /etc/x -p wz'), /permissions/);
  assert.throws(() => parseAuditRule('-a sometimes,exit -S open'), /list\/action/);
  assert.throws(() => parseAuditRule('-x foo'), /not an audit rule option/);
});

test('coverage: match_key requires the key; the schema rejects a malformed wanted rule', () => {
  const loaded = [{ rule: parseAuditRule('-w /etc/group -p wa -k identity')!, source: 'f', line: 1, text: '' }];
  assert.equal(coverage(parseAuditRule('-w /etc/group -p wa -k other')!, loaded, false).missing.length, 0);
  assert.deepEqual(coverage(parseAuditRule('-w /etc/group -p wa -k other')!, loaded, true).missing, ['/etc/group']);
  assert.equal(auditdRulesCheck.schema.safeParse({ rules: ['-a always,exit -S open -F noop'] }).success, false);
  assert.equal(auditdRulesCheck.schema.safeParse({ rules: ['# only a comment'] }).success, false);
});

test('unparseable host lines are ignored with a note, the rest still counts', async () => {
  const o = await evaluateOnFixture(auditdRulesCheck, { '/etc/audit/rules.d/a.rules': '-w /etc/shadow -p wa\n-bogus line\n' }, { rules: ['-w /etc/shadow -p wa'] });
  assert.equal(o.status, 'pass');
  assert.ok(o.evidence.some((e) => e.note?.startsWith('ignored:') && e.line === 2));
});

test('privileged_programs: one rule per SUID or SGID program the walk finds, offline', async () => {
  const suid = (mode: number) => ({ content: '#!/bin/true\n', mode, uid: 0, gid: 0 });
  const tree = {
    '/usr/bin/sudo': suid(0o4755), '/usr/bin/wall': suid(0o2755), '/usr/bin/ls': suid(0o755), '/opt/vendor/helper': suid(0o4750),
    '/etc/audit/rules.d/50-priv.rules': [
      '-a always,exit -F path=/usr/bin/sudo -F perm=x -F auid>=1000 -F auid!=unset -k privileged',
      '-a always,exit -F auid!=-1 -F perm=x -F auid>=1000 -F path=/usr/bin/wall -k privileged',
    ].join('\n') + '\n',
  };
  const spec = { privileged_programs: { rule: '-a always,exit -F path={path} -F perm=x -F auid>=1000 -F auid!=unset' } };
  const missing = await evaluateOnFixture(auditdRulesCheck, tree, spec);
  assert.equal(missing.status, 'fail', missing.summary);
  assert.match(missing.summary, /2 of 3 audit rules in effect; missing: .*path=\/opt\/vendor\/helper/);
  assert.ok(missing.evidence.some((e) => e.found === '3 SUID/SGID program(s)'));
  const all = await evaluateOnFixture(auditdRulesCheck, { ...tree, '/etc/audit/rules.d/60-vendor.rules': '-a always,exit -F path=/opt/vendor/helper -F perm=x -F auid>=1000 -F auid!=unset\n' }, spec);
  assert.equal(all.status, 'pass', all.summary);
  const scoped = await evaluateOnFixture(auditdRulesCheck, tree, { privileged_programs: { ...spec.privileged_programs, paths: ['/usr'] } });
  assert.equal(scoped.status, 'pass', 'only the programs under paths');
  assert.throws(() => auditdRulesCheck.schema.parse({ privileged_programs: { rule: '-a always,exit -F perm=x' } }), /\{path\}/);
  assert.throws(() => auditdRulesCheck.schema.parse({}), /give rules, privileged_programs, or both/);
});
