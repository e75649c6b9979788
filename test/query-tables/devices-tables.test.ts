/**
 * interface_addresses, interface_details, block_devices and suid_bin against iproute2
 * (`ip -j addr`, `ip -j -s link`), lsblk and find on this machine, and suid_bin on a
 * fixture root.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryEngine } from '../../src/query/engine.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { assertTypes, queryRoot, rowsOf, sh } from './helpers.js';

const engine = new QueryEngine();
after(() => engine.close());
const rows = (sql: string) => rowsOf(engine, sql);

interface IpAddr { ifname: string; addr_info: Array<{ family: string; local: string; prefixlen: number; broadcast?: string }> }

test('interface_addresses: the addresses, masks and broadcasts ip -j addr shows', async () => {
  const ours = await rows('SELECT * FROM interface_addresses');
  assertTypes(ours, { interface: 'TEXT', address: 'TEXT', mask: 'TEXT', broadcast: 'TEXT', point_to_point: 'TEXT', type: 'TEXT' });
  const { ipv4Netmask, ipv6Netmask } = await import('../../src/host/net-addresses.js');
  const theirs = (JSON.parse(sh('ip', ['-j', 'addr'])) as IpAddr[]).flatMap((i) => i.addr_info.map((a) => ({ ...a, ifname: i.ifname })));
  assert.equal(ours.length, theirs.length);
  for (const a of theirs) {
    const mine = ours.find((o) => o.address === a.local);
    assert.ok(mine, a.local);
    assert.equal(mine.interface, a.ifname, a.local);
    assert.equal(mine.mask, a.family === 'inet' ? ipv4Netmask(a.prefixlen) : ipv6Netmask(a.prefixlen), a.local);
    assert.equal(mine.broadcast, a.broadcast ?? '', a.local);
  }
});

test('interface_addresses parsers: fib_trie leaves and netmasks', async () => {
  const { parseFibTrie } = await import('../../src/query/tables/interface_addresses.js');
  const fib = parseFibTrie('Main:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 10.9.9.9\n        /32 host LOCAL\nLocal:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 10.1.2.3\n        /32 host LOCAL\n     |-- 10.1.2.255\n        /32 link BROADCAST\n     |-- 127.0.0.0\n        /8 host LOCAL\n');
  assert.deepEqual(fib.locals, ['10.1.2.3'], 'only the Local table counts');
  assert.ok(fib.broadcasts.has('10.1.2.255'));
  const { ipv6Netmask, ipv6FromLeWordsHex, ipv6FromBeHex } = await import('../../src/host/net-addresses.js');
  assert.equal(ipv6Netmask(64), 'ffff:ffff:ffff:ffff::');
  assert.equal(ipv6Netmask(0), '::');
  assert.equal(ipv6FromBeHex('20010db8000000000001000000000001'), '2001:db8::1:0:0:1');
  assert.equal(ipv6FromLeWordsHex('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
  assert.equal(ipv6FromLeWordsHex('00000000000000000000000001000000'), '::1');
});

test('interface_details: link address, type, MTU and counters as ip -j -s link shows', async () => {
  const ours = await rows('SELECT * FROM interface_details');
  assertTypes(ours, { interface: 'TEXT', mac: 'TEXT', type: 'INTEGER', mtu: 'INTEGER', metric: 'INTEGER', flags: 'INTEGER', ipackets: 'INTEGER', obytes: 'INTEGER', collisions: 'INTEGER', last_change: 'NULL-OR-INTEGER', link_speed: 'NULL-OR-INTEGER', pci_slot: 'TEXT' });
  const theirs = JSON.parse(sh('ip', ['-j', '-s', 'link'])) as Array<{ ifname: string; address: string; mtu: number; link_type: string; flags: string[]; stats64: { rx: { packets: number; bytes: number }; tx: { packets: number } } }>;
  assert.deepEqual(ours.map((r) => r.interface).sort(), theirs.map((l) => l.ifname).sort());
  for (const l of theirs) {
    const mine = ours.find((o) => o.interface === l.ifname)!;
    assert.equal(mine.mac, l.address);
    assert.equal(mine.mtu, l.mtu);
    assert.equal(mine.type, { ether: 1, loopback: 772 }[l.link_type] ?? mine.type);
    assert.equal(Boolean((mine.flags as number) & 1), l.flags.includes('UP'), `${l.ifname} IFF_UP`);
    // ip prints the flags of netlink's ifi_flags (dev_get_flags, what getifaddrs gives osquery) by name
    const FLAG_NAMES: Record<string, number> = { UP: 0x1, BROADCAST: 0x2, DEBUG: 0x4, LOOPBACK: 0x8, POINTOPOINT: 0x10, NOTRAILERS: 0x20, NOARP: 0x80, PROMISC: 0x100, ALLMULTI: 0x200, MASTER: 0x400, SLAVE: 0x800, MULTICAST: 0x1000, DYNAMIC: 0x8000, LOWER_UP: 0x10000, DORMANT: 0x20000, ECHO: 0x40000 };
    const expected = l.flags.reduce((f, name) => f | (FLAG_NAMES[name] ?? 0), 0);
    const RUNNING = 0x40; // ip does not print RUNNING (it prints LOWER_UP / state instead)
    assert.equal((mine.flags as number) & ~RUNNING, expected, `${l.ifname} flags ${l.flags.join(',')}`);
    assert.equal(Boolean((mine.flags as number) & RUNNING), l.flags.includes('UP') && ['UP', 'UNKNOWN'].includes((l as unknown as { operstate: string }).operstate), `${l.ifname} RUNNING`);
    assert.ok((mine.ipackets as number) >= l.stats64.rx.packets && (mine.ipackets as number) - l.stats64.rx.packets < 10_000, `${l.ifname} rx packets`);
  }
  const eth = ours.find((o) => o.interface === 'eth0');
  if (eth && fs.existsSync('/sys/class/net/eth0/device')) assert.ok(fs.realpathSync('/sys/class/net/eth0/device').includes(eth.pci_slot as string));
});

test('block_devices: the disks and partitions lsblk lists, with sizes and parents', async () => {
  const ours = await rows('SELECT * FROM block_devices');
  assertTypes(ours, { name: 'TEXT', parent: 'TEXT', vendor: 'TEXT', model: 'TEXT', serial: 'TEXT', size: 'NULL-OR-INTEGER', block_size: 'NULL-OR-INTEGER', uuid: 'TEXT', type: 'TEXT', label: 'TEXT' });
  const theirs = sh('lsblk', ['-b', '-P', '-o', 'NAME,SIZE,PKNAME,LOG-SEC']).trim().split('\n').filter(Boolean).map((l) => Object.fromEntries([...l.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]])));
  for (const d of theirs) {
    const mine = ours.find((o) => o.name === `/dev/${d.NAME}`);
    assert.ok(mine, d.NAME);
    assert.equal((mine.size as number) * 512, Number(d.SIZE), `${d.NAME} size`);
    assert.equal(mine.parent, d.PKNAME ? `/dev/${d.PKNAME}` : '', `${d.NAME} parent`);
    assert.equal(mine.block_size, Number(d['LOG-SEC']), `${d.NAME} block size`);
  }
  const [one] = await rows(`SELECT name FROM block_devices WHERE name = '/dev/${theirs[0]!.NAME}'`);
  assert.equal(one!.name, `/dev/${theirs[0]!.NAME}`);
});

test('block_devices superblock probe: ext2, ext3, ext4 and swap as blkid -p identifies them', async () => {
  const { probeFilesystem, PROBE_BYTES } = await import('../../src/query/table-support/fs-superblock.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-fs-'));
  try {
    const images: Array<[string, string[]]> = [
      ['ext2', ['mkfs.ext2', '-q', '-F', '-L', 'two']], ['ext3', ['mkfs.ext3', '-q', '-F', '-L', 'three']],
      ['ext4', ['mkfs.ext4', '-q', '-F', '-L', 'data-disk']], ['swap', ['mkswap', '-L', 'swaplabel']],
    ];
    for (const [name, cmd] of images) {
      const img = path.join(dir, `${name}.img`);
      fs.writeFileSync(img, Buffer.alloc(0));
      fs.truncateSync(img, 8 * 1024 * 1024);
      execFileSync(cmd[0]!, [...cmd.slice(1), img], { stdio: 'ignore' });
      const theirs = Object.fromEntries(sh('blkid', ['-p', '-o', 'export', img]).trim().split('\n').map((l) => l.split('=') as [string, string]));
      const fd = fs.openSync(img, 'r');
      const head = Buffer.alloc(PROBE_BYTES);
      fs.readSync(fd, head, 0, head.length, 0);
      fs.closeSync(fd);
      assert.deepEqual(probeFilesystem(head), { type: theirs.TYPE, uuid: theirs.UUID, label: theirs.LABEL }, name);
    }
    assert.equal(probeFilesystem(Buffer.alloc(PROBE_BYTES)), undefined, 'zeros are no filesystem');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('suid_bin: the set-id files find -perm /6000 finds; on a fixture root too', async () => {
  const ours = await rows('SELECT * FROM suid_bin');
  assertTypes(ours, { path: 'TEXT', username: 'TEXT', groupname: 'TEXT', permissions: 'TEXT' });
  const dirs = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/lib', '/usr/libexec'].filter((d) => fs.existsSync(d)).map((d) => fs.realpathSync(d));
  const theirs = sh('find', [...new Set(dirs), '-maxdepth', '3', '-type', 'f', '-perm', '/6000', '-printf', '%p %u %g %m\\n']).trim().split('\n').filter(Boolean);
  assert.deepEqual(ours.map((r) => `${r.path} ${r.username} ${r.groupname}`).sort(), [...new Set(theirs.map((l) => l.split(' ').slice(0, 3).join(' ')))].sort());
  for (const r of ours) {
    const mode = parseInt(theirs.find((l) => l.startsWith(`${r.path} `))!.split(' ')[3]!, 8);
    assert.equal(r.permissions, [mode & 0o4000 ? 'u+s' : '', mode & 0o2000 ? 'g+s' : ''].filter(Boolean).join(','));
  }
  const root = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n', '/etc/group': 'root:x:0:\nshadow:x:42:\n',
    '/usr/bin/su': { content: 'x', mode: 0o4755 }, '/usr/bin/chage': { content: 'x', mode: 0o2755, gid: 42 },
    '/usr/bin/both': { content: 'x', mode: 0o6755, uid: 4321 }, '/usr/bin/plain': { content: 'x', mode: 0o755 },
    '/bin': { symlink: 'usr/bin' }, '/usr/lib/openssh/ssh-keysign': { content: 'x', mode: 0o4755 },
  });
  try {
    // chown clears the set-id bits the fixture's chmod gave: set them again
    fs.chmodSync(`${root.dir}/usr/bin/chage`, 0o2755);
    fs.chmodSync(`${root.dir}/usr/bin/both`, 0o6755);
    const { rows: r } = await queryRoot(root.dir, 'SELECT path, username, groupname, permissions FROM suid_bin ORDER BY path');
    assert.deepEqual(r, [
      { path: '/usr/bin/both', username: '4321', groupname: 'root', permissions: 'u+s,g+s' },
      { path: '/usr/bin/chage', username: 'root', groupname: 'shadow', permissions: 'g+s' },
      { path: '/usr/bin/su', username: 'root', groupname: 'root', permissions: 'u+s' },
      { path: '/usr/lib/openssh/ssh-keysign', username: 'root', groupname: 'root', permissions: 'u+s' },
    ]);
  } finally {
    await root.cleanup();
  }
});
