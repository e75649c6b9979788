/** Tests of the `nftables` check type: the conformance suite plus the ruleset reader. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../../../core/host-root.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { runCheckConformance } from '../common/conformance.test-helpers.js';
import { readRuleset } from './ruleset.js';
import { nftablesCheck } from './index.js';

const GOOD = `#!/usr/sbin/nft -f
flush ruleset
include "/etc/nftables.d/*.nft"
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iif "lo" accept   # loopback
    ip saddr 127.0.0.0/8 counter drop
  }
  chain forward { type filter hook forward priority 0; policy drop; }
}
`;
const OUTPUT = 'table inet out {\n  chain output {\n    type filter hook output priority filter\n    policy drop\n    oif "lo" accept\n  }\n}\n';

runCheckConformance(nftablesCheck, {
  pass: [
    { name: 'hooks, policy and rules across an include', tree: { '/etc/nftables.conf': GOOD, '/etc/nftables.d/out.nft': OUTPUT },
      spec: { hooks: ['input', 'forward', 'output'], policy: 'drop', rules: [{ hook: 'input', pattern: '^iif(name)? "?lo"? accept$' }] }, mentions: 'policy drop' },
    { name: 'a table exists', tree: { '/etc/nftables.conf': 'table ip t {\n}\n' }, spec: {} },
  ],
  fail: [
    { name: 'output hook missing (include not there)', tree: { '/etc/nftables.conf': GOOD }, spec: { hooks: ['input', 'output'] }, mentions: 'hook output' },
    { name: 'policy accept by default', tree: { '/etc/nftables.conf': 'table inet f {\n chain input {\n  type filter hook input priority 0;\n }\n}\n' }, spec: { hooks: ['input'], policy: 'drop' }, mentions: 'policy accept' },
    { name: 'rule commented out', tree: { '/etc/nftables.conf': GOOD.replace('iif "lo" accept', '# iif "lo" accept') }, spec: { rules: [{ hook: 'input', pattern: 'iif "lo" accept' }] } },
    { name: 'rule in a regular chain only', tree: { '/etc/nftables.conf': 'table inet f {\n chain mine {\n  iif "lo" accept\n }\n chain input { type filter hook input priority 0; jump mine; }\n}\n' },
      spec: { rules: [{ hook: 'input', pattern: 'iif "lo" accept' }] } },
    { name: 'no ruleset', tree: {}, spec: {}, mentions: 'no nftables ruleset' },
  ],
  not_applicable: [
    { name: 'no ruleset, missing: not_applicable', tree: {}, spec: { missing: 'not_applicable' } },
  ],
  error: [
    { name: 'ruleset is a symlink loop', tree: { '/etc/nftables.conf': { symlink: '/etc/nftables.conf' } }, spec: {} },
  ],
});

test('readRuleset: structure, includes, comments', async () => {
  const root = await buildFixtureRoot({ '/etc/nftables.conf': GOOD, '/etc/nftables.d/out.nft': OUTPUT });
  try {
    const rs = await readRuleset(new HostRoot(root.dir), '/etc/nftables.conf');
    assert.deepEqual(rs.files, ['/etc/nftables.conf', '/etc/nftables.d/out.nft']);
    assert.deepEqual(rs.chains.map((c) => [c.table, c.name, c.hook, c.policy ?? 'accept']), [['out', 'output', 'output', 'drop'], ['filter', 'input', 'input', 'drop'], ['filter', 'forward', 'forward', 'drop']]);
    assert.deepEqual(rs.chains[1]!.rules.map((r) => r.text), ['iif "lo" accept', 'ip saddr 127.0.0.0/8 counter drop']);
  } finally {
    await root.cleanup();
  }
});
