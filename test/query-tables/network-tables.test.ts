/** routes and arp_cache against iproute2 (`ip -j route`, `ip -j neigh`) on this machine, and the /proc parsers. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { QueryEngine } from '../../src/query/engine.js';
import { assertTypes, rowsOf, sh } from './helpers.js';

const engine = new QueryEngine();
after(() => engine.close());
const rows = (sql: string) => rowsOf(engine, sql);

test('routes: the IPv4 main table and IPv6 routes ip -j route lists', async () => {
  const ours = await rows('SELECT * FROM routes');
  assertTypes(ours, { destination: 'TEXT', netmask: 'INTEGER', gateway: 'TEXT', source: 'TEXT', flags: 'INTEGER', interface: 'TEXT', metric: 'INTEGER', type: 'TEXT' });
  const v4 = JSON.parse(sh('ip', ['-j', '-4', 'route', 'show', 'table', 'main'])) as Array<{ dst: string; gateway?: string; dev: string; metric?: number }>;
  for (const r of v4) {
    const [dst, len] = r.dst === 'default' ? ['0.0.0.0', 0] : [r.dst.split('/')[0]!, Number(r.dst.split('/')[1] ?? 32)];
    const mine = ours.find((o) => o.destination === dst && o.netmask === len && o.interface === r.dev);
    assert.ok(mine, `route ${r.dst} dev ${r.dev}`);
    assert.equal(mine.gateway, r.gateway ?? '0.0.0.0');
    assert.equal(mine.metric, r.metric ?? 0);
    assert.equal(mine.type, 'unicast');
  }
  const v6 = JSON.parse(sh('ip', ['-j', '-6', 'route', 'show', 'table', 'all'])) as Array<{ dst: string; dev: string; type?: string; metric?: number; gateway?: string }>;
  for (const r of v6) {
    if (r.dev === 'lo' && r.type === 'unreachable') continue;
    const [dst, len] = r.dst === 'default' ? ['::', 0] : [r.dst.split('/')[0]!, Number(r.dst.split('/')[1] ?? 128)];
    const mine = ours.find((o) => o.destination === dst && o.netmask === len && o.interface === r.dev);
    assert.ok(mine, `route ${r.dst} dev ${r.dev}`);
    if (r.type === 'local') assert.equal(mine.type, 'local');
    if (r.gateway) assert.equal(mine.gateway, r.gateway);
  }
});

test('routes parsers: /proc/net/route and ipv6_route formats', async () => {
  const { parseIpv4Routes, parseIpv6Routes } = await import('../../src/query/tables/routes.js');
  const v4 = parseIpv4Routes('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t1500\t0\t0\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n');
  assert.deepEqual(v4.map((r) => [r.destination, r.netmask, r.gateway, r.metric, r.mtu, r.flags]), [['0.0.0.0', 0, '192.0.2.1', 100, 1500, 3], ['192.0.2.0', 24, '0.0.0.0', 0, 0, 1]]);
  const v6 = parseIpv6Routes('fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000003 00000000 80200001       lo\n');
  assert.deepEqual(v6.map((r) => [r.destination, r.netmask, r.metric, r.interface, r.type]), [['fe80::', 64, 256, 'eth0', 'unicast'], ['::1', 128, 0, 'lo', 'local']]);
});

test('arp_cache: the IPv4 neighbours ip -j neigh lists', async () => {
  const ours = await rows('SELECT * FROM arp_cache');
  assertTypes(ours, { address: 'TEXT', mac: 'TEXT', interface: 'TEXT', permanent: 'TEXT' });
  const theirs = (JSON.parse(sh('ip', ['-j', '-4', 'neigh'])) as Array<{ dst: string; dev: string; lladdr?: string; state?: string[] }>);
  for (const n of theirs) {
    const mine = ours.find((o) => o.address === n.dst && o.interface === n.dev);
    assert.ok(mine, n.dst);
    if (n.lladdr) assert.equal(mine.mac, n.lladdr);
    assert.equal(mine.permanent, n.state?.includes('PERMANENT') ? '1' : '0');
  }
  assert.equal(ours.length, theirs.filter((n) => !n.state?.includes('FAILED')).length);
});
