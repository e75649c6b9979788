/** Tests of the `firewall_ports` check type on fixture roots that claim to be live (socket tables written by the test). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FixtureTree } from '../../../../test/helpers/fixture-root.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { evaluateOnFixture, testCheckContext } from '../common/conformance.test-helpers.js';
import { LiveFixtureRoot } from '../common/live-root.test-helpers.js';
import { firewallPortsCheck } from './index.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
/** One /proc/net/{tcp,udp} line: address in the kernel's little-endian hex, state hex (0A LISTEN, 07 UDP unconnected). */
const sock = (n: number, local: string, port: number, state: string, inode: number) =>
  `   ${n}: ${local}:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
const sock6 = (n: number, local: string, port: number, state: string, inode: number) =>
  `   ${n}: ${local}:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000000000000000000000000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

const ANY4 = '00000000';
const LOOPBACK4 = '0100007F';
const ANY6 = '00000000000000000000000000000000';
const LOOPBACK6 = '00000000000000000000000001000000';

const sockets: FixtureTree = {
  '/proc/net/tcp': HEADER + sock(0, ANY4, 22, '0A', 101) + sock(1, LOOPBACK4, 25, '0A', 102) + sock(2, ANY4, 8080, '0A', 103) + sock(3, ANY4, 443, '01', 104),
  '/proc/net/udp': HEADER + sock(0, ANY4, 68, '07', 201),
  '/proc/net/tcp6': HEADER + sock6(0, ANY6, 22, '0A', 301) + sock6(1, LOOPBACK6, 631, '0A', 302),
  '/proc/net/udp6': HEADER,
};

async function onLive(tree: FixtureTree, spec: Record<string, unknown>) {
  const fx = await buildFixtureRoot(tree);
  try {
    return await firewallPortsCheck.evaluate(firewallPortsCheck.schema.parse(spec), testCheckContext(new LiveFixtureRoot(fx.dir)));
  } finally { await fx.cleanup(); }
}

const ufwRules = (v4: string[], v6: string[]): FixtureTree => ({
  '/etc/ufw/user.rules': `*filter\n:ufw-user-input - [0:0]\n${v4.join('\n')}\nCOMMIT\n`,
  '/etc/ufw/user6.rules': `*filter\n:ufw6-user-input - [0:0]\n${v6.join('\n')}\nCOMMIT\n`,
});

test('firewall_ports ufw: every open port beyond loopback needs a rule; established and loopback sockets do not', async () => {
  const all = await onLive({ ...sockets, ...ufwRules(
    ['### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in', '-A ufw-user-input -p tcp --dport 22 -j ACCEPT', '-A ufw-user-input -p tcp -m multiport --dports 8000:8100,9000 -j DROP', '-A ufw-user-input -p udp --dport 68 -j ACCEPT'],
    ['-A ufw6-user-input -p tcp --dport 22 -j ACCEPT'],
  ) }, { firewall: 'ufw' });
  assert.equal(all.status, 'pass', all.summary);
  assert.match(all.summary, /all 4 open port\(s\)/);
  assert.ok(all.evidence.some((e) => e.source === '/etc/ufw/user.rules' && e.line === 5), JSON.stringify(all.evidence));

  const missing = await onLive({ ...sockets, ...ufwRules(['-A ufw-user-input -p tcp --dport 22 -j ACCEPT', '-A ufw-user-input -p udp --dport 22 -j ACCEPT', '-A ufw-user-input -j ACCEPT'], []) }, { firewall: 'ufw' });
  assert.equal(missing.status, 'fail');
  assert.equal(missing.summary, 'open ports without a firewall rule (ufw): udp/68, tcp/8080, tcp/22', 'wrong protocol or no port does not count; IPv6 checked separately');
  const ignored = await onLive({ ...sockets, ...ufwRules(['-A ufw-user-input -p tcp --dport 22 -j ACCEPT', '-A ufw-user-input -p tcp --dport 8080 -j ACCEPT'], ['-A ufw6-user-input -p tcp --dport 22 -j ACCEPT']) }, { firewall: 'ufw', ignore_ports: [68] });
  assert.equal(ignored.status, 'pass', ignored.summary);
  const noFile = await onLive(sockets, { firewall: 'ufw' });
  assert.equal(noFile.status, 'fail');
  assert.match(noFile.summary, /no \/etc\/ufw\/user\.rules/);
});

test('firewall_ports iptables and ip6tables: the filter table INPUT chain of rules.v4 / rules.v6', async () => {
  const v4 = '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 80\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -p udp --dport 68 -j ACCEPT\n-A INPUT -p tcp ! --dport 8080 -j ACCEPT\nCOMMIT\n';
  const r4 = await onLive({ ...sockets, '/etc/iptables/rules.v4': v4 }, { firewall: 'iptables' });
  assert.equal(r4.status, 'fail');
  assert.equal(r4.summary, 'open ports without a firewall rule (iptables): tcp/8080', 'a nat rule or a negated port is no rule for the port');
  const r6 = await onLive({ ...sockets, '/etc/iptables/rules.v6': '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' }, { firewall: 'ip6tables' });
  assert.equal(r6.status, 'pass', r6.summary);
  const quiet = await onLive({ '/proc/net/tcp': HEADER + sock(0, LOOPBACK4, 5432, '0A', 1), '/proc/net/udp': HEADER }, { firewall: 'iptables' });
  assert.equal(quiet.status, 'pass');
  assert.match(quiet.summary, /no port open beyond loopback/);
});

test('firewall_ports: offline the sockets are unknown; the schema refuses other firewalls', async () => {
  const offline = await evaluateOnFixture(firewallPortsCheck, { ...sockets, ...ufwRules([], []) }, { firewall: 'ufw' });
  assert.equal(offline.status, 'not_applicable');
  assert.match(offline.summary, /only known on the live host/);
  assert.throws(() => firewallPortsCheck.schema.parse({ firewall: 'pf' }));
});
