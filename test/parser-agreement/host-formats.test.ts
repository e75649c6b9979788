/**
 * Parser agreement for the host formats in src/host (sysctl.d, login.defs, passwd / group /
 * shadow, /proc/mounts, /proc/modules, os-release): on one fixture root per format, the audit
 * check and the SQL table give the same answer, because both call the same parser. Includes
 * the two disagreements issue 11 measured: a sysctl.d glob key, and a quoted login.defs value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../../src/core/host-root.js';
import type { CheckOutcome, CheckType } from '../../src/audit/check.js';
import { testCheckContext } from '../../src/audit/checks/common/conformance.test-helpers.js';
import { LiveFixtureRoot } from '../../src/audit/checks/common/live-root.test-helpers.js';
import { accountsCheck } from '../../src/audit/checks/accounts/index.js';
import { configCheck } from '../../src/audit/checks/config/index.js';
import { kernelModuleCheck } from '../../src/audit/checks/kernel_module/index.js';
import { mountCheck } from '../../src/audit/checks/mount/index.js';
import { sysctlCheck } from '../../src/audit/checks/sysctl/index.js';
import { readOsRelease } from '../../src/host/os-release.js';
import type { Row, Table, TableContext } from '../../src/query/table.js';
import { table as systemControls } from '../../src/query/tables/system_controls.js';
import { table as mountsTable } from '../../src/query/tables/mounts.js';
import { table as kernelModulesTable } from '../../src/query/tables/kernel_modules.js';
import { buildFixtureRoot, type FixtureTree } from '../helpers/fixture-root.js';
import { queryRoot } from '../query-tables/helpers.js';

async function audit(check: CheckType<any>, root: HostRoot, spec: object): Promise<CheckOutcome> {
  return check.evaluate(check.schema.parse(spec), testCheckContext(root));
}

/**
 * Rows of a live-only table generated on a fixture root. The query engine keeps live-only
 * tables empty on any other root (they describe the running system); the generator itself
 * reads through ctx.root, so pointing it at a fixture tests the very code a live query runs.
 */
function generate(table: Table, root: HostRoot, equals: Record<string, string[]> = {}): { rows: Row[]; warnings: string[] } {
  const warnings: string[] = [];
  const ctx: TableContext = {
    root,
    constraints: [],
    equalsValues: (column) => equals[column],
    columnsUsed: new Set(table.spec.columns.map((c) => c.name).filter((c) => !c.startsWith('blocks') && !c.startsWith('inodes'))),
    warn: (m) => warnings.push(m),
  };
  return { rows: [...table.generate(ctx)], warnings };
}

async function withRoot(tree: FixtureTree, fn: (dir: string) => Promise<void>): Promise<void> {
  const fx = await buildFixtureRoot(tree);
  try {
    await fn(fx.dir);
  } finally {
    await fx.cleanup();
  }
}

const procSysConf = (iface: string) => ({ [`/proc/sys/net/ipv4/conf/${iface}/rp_filter`]: '0\n', [`/proc/sys/net/ipv4/conf/${iface}/accept_redirects`]: '1\n' });

test('sysctl.d glob: system_controls and the sysctl check read net.ipv4.conf.*.rp_filter = 2 for every interface /proc/sys has', () =>
  withRoot({
    ...procSysConf('all'), ...procSysConf('default'), ...procSysConf('eth0'), ...procSysConf('eth0.100'),
    '/proc/sys/kernel/randomize_va_space': '2\n',
    '/usr/lib/sysctl.d/50-default.conf': 'kernel.randomize_va_space = 1\n',
    '/etc/sysctl.d/60-rp.conf': 'net.ipv4.conf.*.rp_filter = 2\n',
    // an explicit key beats any glob, whatever the order (systemd-sysctl)
    '/etc/sysctl.d/10-eth0.conf': 'net.ipv4.conf.eth0.rp_filter = 1\n',
    '/etc/sysctl.conf': 'kernel.randomize_va_space = 2\n',
  }, async (dir) => {
    const root = new HostRoot(dir);
    const { rows, warnings } = generate(systemControls, root);
    assert.deepEqual(warnings, []);
    const config = Object.fromEntries(rows.map((r) => [r.name, r.config_value]));
    assert.equal(config['net.ipv4.conf.all.rp_filter'], '2', 'the glob reaches "all"');
    assert.deepEqual(
      ['all', 'default', 'eth0', 'eth0/100'].map((i) => config[`net.ipv4.conf.${i}.rp_filter`]),
      ['2', '2', '1', '2'],
    );
    assert.equal(config['net.ipv4.conf.all.accept_redirects'], '', 'not configured');
    assert.equal(config['kernel.randomize_va_space'], '2', '/etc/sysctl.conf is applied last');
    // the one-row lookup (WHERE name = …) gives the same config_value
    assert.equal(generate(systemControls, root, { name: ['net.ipv4.conf.all.rp_filter'] }).rows[0]!.config_value, '2');
    for (const r of rows) {
      const name = r.name as string;
      const verdict = await audit(sysctlCheck, root, r.config_value === '' ? { key: name, op: 'absent', scope: 'persisted' } : { key: name, value: r.config_value, scope: 'persisted' });
      assert.equal(verdict.status, 'pass', `${name}: table says ${JSON.stringify(r.config_value)}, the check: ${verdict.summary}`);
    }
    // and the config check's sysctl format (the whole persisted set) reads the same winner
    assert.equal((await audit(configCheck, root, { format: 'sysctl', key: 'net.ipv4.conf.all.rp_filter', value: 2 })).status, 'pass');
    assert.equal((await audit(configCheck, root, { format: 'sysctl', key: 'net.ipv4.conf.eth0.rp_filter', value: 1 })).status, 'pass');
  }));

test('login.defs quotes: PASS_MAX_DAYS "90 and UID_MIN "1500 read as 90 and 1500 by every reader, as shadow-utils reads them', () =>
  withRoot({
    '/etc/login.defs': '# aging\nPASS_MAX_DAYS "90\nPASS_MIN_DAYS\t"7"\nUID_MIN "1500\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\nbuilder:x:1200:1200::/home/builder:/bin/bash\nalice:x:1500:1500::/home/alice:/bin/bash\n',
  }, async (dir) => {
    const root = new HostRoot(dir);
    // the config check (format login_defs): what a control compares
    assert.equal((await audit(configCheck, root, { format: 'login_defs', key: 'PASS_MAX_DAYS', op: 'le', value: 90 })).status, 'pass');
    assert.equal((await audit(configCheck, root, { format: 'login_defs', key: 'PASS_MAX_DAYS', value: '90' })).status, 'pass');
    assert.equal((await audit(configCheck, root, { format: 'login_defs', key: 'PASS_MIN_DAYS', value: 7 })).status, 'pass');
    // the accounts check takes UID_MIN from the same parser: builder (1200) is a system account with a shell
    const accounts = await audit(accountsCheck, root, { rule: 'system_accounts_no_login_shell' });
    assert.equal(accounts.status, 'fail');
    assert.deepEqual(accounts.evidence.filter((e) => e.line !== undefined && e.source === '/etc/passwd').map((e) => e.line), [3]);
    assert.ok(accounts.evidence.some((e) => e.source === '/etc/login.defs:4' && e.found === 'UID_MIN 1500'), JSON.stringify(accounts.evidence));
    // (no SQL table reads login.defs: osquery has none; both audit readers are the one in src/host/login-defs.ts)
  }));

test('passwd, group, shadow: the users, groups and shadow tables and the accounts check see the same entries and password states', () =>
  withRoot({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n+@nis::::::\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/sh\ntoor:x:0:0::/root:/bin/sh\nbroken:x:zero:0::/:/bin/sh\n',
    '/etc/group': 'root:x:0:\nalice:x:1000:\nbob:x:1001:alice\n',
    '/etc/shadow': [
      'root:$y$j9T$salt$hash:19700:0:99999:7:::',
      'alice::19700:0:120:7:::',
      'bob:!!:19700::::::',
      'toor:!$6$salt$hash:19700:0:99999:7:::',
      '',
    ].join('\n'),
  }, async (dir) => {
    const root = new HostRoot(dir);
    const users = (await queryRoot(dir, 'SELECT uid, username FROM users ORDER BY uid, username')).rows;
    assert.deepEqual(users.map((u) => u.username), ['root', 'toor', 'alice', 'bob'], 'the NIS line and the malformed line are no accounts');
    const uid0 = await audit(accountsCheck, root, { rule: 'only_root_uid_0' });
    assert.deepEqual(uid0.evidence.map((e) => e.line), [5]);
    assert.deepEqual(users.filter((u) => u.uid === 0 && u.username !== 'root').map((u) => u.username), ['toor']);

    const shadow = (await queryRoot(dir, 'SELECT username, password_status, max FROM shadow')).rows;
    assert.deepEqual(Object.fromEntries(shadow.map((r) => [r.username, r.password_status])), { root: 'active', alice: 'empty', bob: 'not_set', toor: 'locked' });
    const empty = await audit(accountsCheck, root, { rule: 'no_empty_passwords' });
    assert.deepEqual(empty.evidence.filter((e) => e.line !== undefined).map((e) => e.line), [2]);
    assert.deepEqual(shadow.filter((r) => r.password_status === 'empty').map((r) => r.username), ['alice']);
    // aging applies to usable ("active") passwords only: the table's state picks the same users
    const aging = await audit(accountsCheck, root, { rule: 'password_max_days', value: 365 });
    const tooLong = shadow.filter((r) => r.password_status === 'active' && Number(r.max) > 365).map((r) => r.username);
    assert.deepEqual(tooLong, ['root']);
    assert.deepEqual(aging.evidence.filter((e) => e.line !== undefined).map((e) => e.line), [1]);

    const groups = (await queryRoot(dir, 'SELECT gid, groupname FROM groups ORDER BY gid')).rows;
    assert.deepEqual(groups.map((g) => g.groupname), ['root', 'alice', 'bob']);
    const ug = (await queryRoot(dir, "SELECT gid FROM user_groups WHERE uid = 1000 ORDER BY gid")).rows;
    assert.deepEqual(ug.map((r) => r.gid), [1000, 1001]);
    assert.equal((await audit(accountsCheck, root, { rule: 'passwd_groups_exist' })).status, 'pass');
  }));

test('/proc/mounts octal escapes: the mounts table and the mount check read "/mnt/my disk" and its options alike', () =>
  withRoot({
    '/proc/mounts': 'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n/dev/sdb1 /mnt/my\\040disk ext4 rw,nosuid,nodev,relatime 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n',
    '/proc/self/mounts': 'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n/dev/sdb1 /mnt/my\\040disk ext4 rw,nosuid,nodev,relatime 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n',
  }, async (dir) => {
    const root = new LiveFixtureRoot(dir);
    const { rows } = generate(mountsTable, root);
    const disk = rows.find((r) => r.path === '/mnt/my disk');
    assert.ok(disk, `rows: ${rows.map((r) => r.path).join(', ')}`);
    assert.deepEqual([disk.device, disk.type, disk.flags], ['/dev/sdb1', 'ext4', 'rw,nosuid,nodev,relatime']);
    const flags = (disk.flags as string).split(',');
    assert.equal((await audit(mountCheck, root, { path: '/mnt/my disk', options: flags, scope: 'runtime' })).status, 'pass');
    assert.equal((await audit(mountCheck, root, { path: '/mnt/my disk', options: ['noexec'], scope: 'runtime' })).status, flags.includes('noexec') ? 'pass' : 'fail');
    assert.equal((await audit(mountCheck, root, { path: '/tmp', forbidden_options: ['exec'], scope: 'runtime' })).status, 'fail', 'tmpfs /tmp without noexec is exec');
  }));

test('/proc/modules: the kernel_modules table and the kernel_module check agree on what is loaded', () =>
  withRoot({
    '/proc/modules': 'usb_storage 81920 0 - Live 0x0000000000000000\nnf_tables 270336 2 nft_chain_nat,nft_compat, Live 0x0000000000000000 (E)\n',
  }, async (dir) => {
    const root = new LiveFixtureRoot(dir);
    const { rows } = generate(kernelModulesTable, root);
    assert.deepEqual(rows.map((r) => [r.name, r.used_by, r.status]), [['usb_storage', '-', 'Live'], ['nf_tables', 'nft_chain_nat,nft_compat,', 'Live']]);
    for (const name of ['usb-storage', 'nf_tables', 'cramfs']) {
      const inTable = rows.some((r) => r.name === name.replace(/-/g, '_'));
      const verdict = await audit(kernelModuleCheck, root, { name, state: 'any', loaded: true, if_not_present: 'evaluate' });
      assert.equal(verdict.status, inTable ? 'pass' : 'fail', `${name}: ${verdict.summary}`);
    }
  }));

test('os-release: os_version and the audit\'s OS (profile selection, vulnerability scan) read the same quoted values', () =>
  withRoot({
    '/usr/lib/os-release': 'NAME="Ubuntu"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n',
  }, async (dir) => {
    const os = (await readOsRelease(new HostRoot(dir)))!;
    const [row] = (await queryRoot(dir, 'SELECT name, version, major, minor, platform, platform_like, codename FROM os_version')).rows;
    assert.deepEqual(row, { name: os.fields.NAME, version: os.fields.VERSION, major: 22, minor: 4, platform: os.id, platform_like: os.idLike.join(' '), codename: os.versionCodename });
    assert.deepEqual([os.id, os.versionId, row!.version], ['ubuntu', '22.04', '22.04.4 LTS (Jammy Jellyfish)']);
  }));
