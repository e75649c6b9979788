/**
 * Kernel and resource tables (uptime, kernel_info, kernel_modules, memory_info,
 * load_average, cpu_time, system_controls, mounts) against procps, coreutils, util-linux
 * and kmod on this machine, and the live-only rule on a fixture root.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { QueryEngine } from '../../src/query/engine.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { assertTypes, queryRoot, rowsOf, sh } from './helpers.js';

const engine = new QueryEngine();
after(() => engine.close());
const rows = (sql: string) => rowsOf(engine, sql);

test('uptime agrees with uptime -s (boot time) and the clock', async () => {
  const [u] = await rows('SELECT * FROM uptime');
  assertTypes([u!], { days: 'INTEGER', hours: 'INTEGER', minutes: 'INTEGER', seconds: 'INTEGER', total_seconds: 'INTEGER' });
  const boot = Date.parse(sh('uptime', ['-s']).trim().replace(' ', 'T')) / 1000;
  assert.ok(Math.abs(Date.now() / 1000 - boot - (u!.total_seconds as number)) <= 3);
  assert.equal((u!.days as number) * 86400 + (u!.hours as number) * 3600 + (u!.minutes as number) * 60 + (u!.seconds as number), u!.total_seconds);
});

test('kernel_info.version is uname -r; arguments come from the kernel command line', async () => {
  const [k] = await rows('SELECT * FROM kernel_info');
  assert.equal(k!.version, sh('uname', ['-r']).trim());
  assertTypes([k!], { arguments: 'TEXT', path: 'TEXT', device: 'TEXT' });
  const cmdline = fs.readFileSync('/proc/cmdline', 'utf8');
  for (const a of (k!.arguments as string).split(' ').filter(Boolean)) assert.ok(cmdline.includes(a));
});

test('kernel_modules lists what lsmod lists (none where the kernel exposes no /proc/modules)', async () => {
  const ours = await rows('SELECT name, size, used_by, status, address FROM kernel_modules ORDER BY name');
  assertTypes(ours, { name: 'TEXT', size: 'INTEGER', used_by: 'TEXT', status: 'TEXT', address: 'TEXT' });
  if (!fs.existsSync('/proc/modules')) {
    assert.deepEqual(ours, []); // this sandboxed kernel hides modules; lsmod would fail too
  } else {
    const lsmod = sh('sh', ['-c', 'command -v lsmod || true']).trim();
    const theirs = lsmod ? sh(lsmod, []).trim().split('\n').slice(1).filter(Boolean).map((l) => l.split(/\s+/)).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) : [];
    if (lsmod) assert.deepEqual(ours.map((m) => [m.name, m.size]), theirs.map((f) => [f[0], Number(f[1])]));
  }
  // the format as the kernel writes it (module_seq_show)
  const { moduleRow } = await import('../../src/query/tables/kernel_modules.js');
  const { parseProcModules } = await import('../../src/host/kernel-modules.js');
  assert.deepEqual(parseProcModules('nf_tables 270336 0 - Live 0xffffffffc0a00000\nx_tables 53248 2 ip_tables,nf_tables, Live 0x0000000000000000 (E)\n').map(moduleRow), [
    { name: 'nf_tables', size: 270336, used_by: '-', status: 'Live', address: '0xffffffffc0a00000' },
    { name: 'x_tables', size: 53248, used_by: 'ip_tables,nf_tables,', status: 'Live', address: '0x0000000000000000' },
  ]);
});

test('memory_info agrees with free -b', async () => {
  const [m] = await rows('SELECT * FROM memory_info');
  const free = sh('free', ['-b']).split('\n');
  const mem = free[1]!.split(/\s+/);
  const swap = free[2]!.split(/\s+/);
  assert.equal(m!.memory_total, Number(mem[1]));
  assert.equal(m!.swap_total, Number(swap[1]));
  assert.ok(Math.abs((m!.memory_available as number) - Number(mem[6])) < 64 * 1024 * 1024, 'available within 64 MiB of free\'s');
  for (const c of Object.keys(m!)) assert.ok(Number.isInteger(m![c]), `${c} is an integer`);
});

test('load_average gives the three periods uptime prints', async () => {
  const ours = await rows('SELECT * FROM load_average');
  assert.deepEqual(ours.map((r) => r.period), ['1m', '5m', '15m']);
  const loads = /load average: ([\d.]+), ([\d.]+), ([\d.]+)/.exec(sh('uptime', []))!.slice(1).map(Number);
  ours.forEach((r, i) => assert.ok(Math.abs(Number(r.average) - loads[i]!) < 1, `${r.period}: ${r.average} vs ${loads[i]}`));
});

test('cpu_time has one row per core (nproc) with growing counters', async () => {
  const a = await rows('SELECT * FROM cpu_time ORDER BY core');
  assert.equal(a.length, Number(sh('nproc', ['--all']).trim()));
  assertTypes(a, { core: 'INTEGER', user: 'INTEGER', system: 'INTEGER', idle: 'INTEGER', iowait: 'INTEGER', guest_nice: 'INTEGER' });
  const t0 = Date.now();
  while (Date.now() - t0 < 60); // burn a few ticks
  // vmstat -s prints the all-CPU totals: the per-core user and idle ticks add up to them
  const vm = sh('vmstat', ['-s']);
  const vmTicks = (label: string) => Number(new RegExp(`(\\d+) ${label}`).exec(vm)![1]);
  const sumOf = (rs: Array<Record<string, unknown>>, c: string) => rs.reduce((s, r) => s + Number(r[c]), 0);
  assert.ok(Math.abs(sumOf(a, 'user') - vmTicks('non-nice user cpu ticks')) <= 50 * a.length, 'user ticks');
  assert.ok(Math.abs(sumOf(a, 'system') - vmTicks('system cpu ticks')) <= 50 * a.length, 'system ticks');
  const b = await rows('SELECT * FROM cpu_time ORDER BY core');
  const sum = (r: Record<string, unknown>) => ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'].reduce((s, c) => s + Number(r[c]), 0);
  assert.ok(b.reduce((s, r) => s + sum(r), 0) > a.reduce((s, r) => s + sum(r), 0));
});

test('system_controls: current values agree with sysctl -n; WHERE name reads one entry', async () => {
  for (const name of ['kernel.ostype', 'kernel.pid_max', 'net.ipv4.ip_forward', 'vm.swappiness']) {
    const [r] = await rows(`SELECT * FROM system_controls WHERE name = '${name}'`);
    assert.equal(r!.current_value, sh('sysctl', ['-n', name]).trim().replace(/\t/g, ' '), name);
    assert.equal(r!.subsystem, name.split('.')[0]);
    assertTypes([r!], { name: 'TEXT', oid: 'TEXT', config_value: 'TEXT', type: 'TEXT' });
  }
  const all = await rows("SELECT name FROM system_controls WHERE subsystem = 'kernel'");
  const theirs = sh('sysctl', ['-aN']).split('\n').filter((n) => n.startsWith('kernel.'));
  const ours = new Set(all.map((r) => r.name));
  const missing = theirs.filter((n) => !ours.has(n));
  assert.deepEqual(missing, [], 'every kernel.* sysctl is listed');
});

test('system_controls: config_value follows sysctl.d precedence on the root', async () => {
  const root = await buildFixtureRoot({
    '/usr/lib/sysctl.d/10-a.conf': 'kernel.pid_max = 1000\nnet.ipv4.ip_forward=1\n',
    '/etc/sysctl.d/10-a.conf': 'kernel.pid_max = 2000\n', // masks the /usr/lib file of the same name
    '/etc/sysctl.d/20-b.conf': '# comment\nvm/swappiness = 5\n',
    '/etc/sysctl.conf': 'vm.swappiness = 7\nnet/ipv4/conf/eth0.100/rp_filter = 2\n',
  });
  try {
    const { configuredValues } = await import('../../src/query/tables/system_controls.js');
    const { HostRoot } = await import('../../src/core/host-root.js');
    const values = configuredValues(new HostRoot(root.dir));
    assert.equal(values.get('kernel.pid_max'), '2000');
    assert.equal(values.get('net.ipv4.ip_forward'), undefined);
    assert.equal(values.get('vm.swappiness'), '7');
    assert.equal(values.get('net.ipv4.conf.eth0/100.rp_filter'), '2', 'slash-separated keys: / and . swapped (sysctl.d(5))');
    const { rows: none, warnings } = await queryRoot(root.dir, 'SELECT * FROM system_controls');
    assert.deepEqual(none, [], 'live-only table on a fixture root is empty');
    assert.ok(warnings.length > 0, 'with a warning');
  } finally {
    await root.cleanup();
  }
});

test('mounts agree with findmnt and df', async () => {
  const ours = await rows('SELECT * FROM mounts');
  const theirs = sh('findmnt', ['-rn', '-k', '-o', 'TARGET,FSTYPE']).trim().split('\n').map((l) => l.split(' '));
  const unescape = (s: string) => s.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  assert.deepEqual(ours.map((m) => `${m.path} ${m.type}`).sort(), theirs.map(([t, f]) => `${unescape(t!)} ${f}`).sort());
  const rootMount = ours.filter((m) => m.path === '/').at(-1)!;
  const [, blocks1k] = sh('df', ['-k', '--output=target,size', '/']).trim().split('\n')[1]!.trim().split(/\s+/);
  assert.equal(Math.floor((rootMount.blocks as number) * (rootMount.blocks_size as number) / 1024), Number(blocks1k));
  for (const m of ours) assertTypes([m], { device: 'TEXT', device_alias: 'TEXT', path: 'TEXT', type: 'TEXT', flags: 'TEXT', blocks: 'NULL-OR-INTEGER', inodes_free: 'NULL-OR-INTEGER' });
});
