/** Tests of the `service` check type: conformance, enablement from links on disk (aliases, templates, masks, sockets), and the active part. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FixtureTree } from '../../../../test/helpers/fixture-root.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { runCheckConformance, evaluateOnFixture, testCheckContext } from '../common/conformance.test-helpers.js';
import { LiveFixtureRoot } from '../common/live-root.test-helpers.js';
import { serviceCheck } from './index.js';

const L = '/lib/systemd/system';
const E = '/etc/systemd/system';
const units: FixtureTree = {
  [`${L}/ssh.service`]: '[Unit]\nDescription=OpenBSD Secure Shell server\n[Service]\nExecStart=/usr/sbin/sshd -D\n[Install]\nWantedBy=multi-user.target\nAlias=sshd.service\n',
  [`${E}/multi-user.target.wants/ssh.service`]: { symlink: `${L}/ssh.service` },
  [`${E}/sshd.service`]: { symlink: `${L}/ssh.service` },
  [`${L}/avahi-daemon.service`]: '[Service]\nExecStart=/usr/sbin/avahi-daemon -s\n[Install]\nWantedBy=multi-user.target\nAlso=avahi-daemon.socket\nAlias=dbus-org.freedesktop.Avahi.service\n',
  [`${L}/avahi-daemon.socket`]: '[Socket]\nListenStream=/run/avahi-daemon/socket\n[Install]\nWantedBy=sockets.target\n',
  [`${E}/sockets.target.wants/avahi-daemon.socket`]: { symlink: `${L}/avahi-daemon.socket` },
  [`${L}/cups.service`]: '[Service]\nExecStart=/usr/sbin/cupsd -l\n[Install]\nWantedBy=multi-user.target\n',
  [`${E}/cups.service`]: { symlink: '/dev/null' },
  [`${L}/rsync.service`]: '[Service]\nExecStart=/usr/bin/rsync --daemon\n[Install]\nWantedBy=multi-user.target\n',
  [`${L}/systemd-journald.service`]: '[Unit]\nDescription=Journal Service\n[Service]\nExecStart=/lib/systemd/systemd-journald\n',
  [`${L}/getty@.service`]: '[Service]\nExecStart=-/sbin/agetty %I\n[Install]\nWantedBy=getty.target\nDefaultInstance=tty1\n',
  [`${E}/getty.target.wants/getty@tty1.service`]: { symlink: `${L}/getty@.service` },
  [`${L}/nfs-client.target`]: '[Unit]\nDescription=NFS client\n[Install]\nAlso=rpc-statd.service\n',
  ['/usr/lib/systemd/system/empty.service']: '',
  [`${L}/runtime.service`]: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
  ['/run/systemd/system/multi-user.target.wants/runtime.service']: { symlink: `${L}/runtime.service` },
};

runCheckConformance(serviceCheck, {
  pass: [
    { name: 'enabled through a wants link', tree: units, spec: { unit: 'ssh', state: 'enabled' }, mentions: 'multi-user.target.wants' },
    { name: 'masked by a /dev/null link', tree: units, spec: { unit: 'cups.service', state: 'masked' } },
    { name: 'WantedBy without links is disabled', tree: units, spec: { unit: 'rsync', state: 'not_enabled' }, mentions: 'disabled' },
    { name: 'absent unit', tree: units, spec: { unit: 'telnetd', state: ['absent', 'masked'] } },
  ],
  fail: [
    { name: 'socket-activated service counts as enabled', tree: units, spec: { unit: 'avahi-daemon', state: 'not_enabled' }, mentions: 'avahi-daemon.socket' },
    { name: 'disabled wanted enabled', tree: units, spec: { unit: 'rsync', state: 'enabled' }, mentions: 'expected enabled' },
  ],
  not_applicable: [
    { name: 'active state offline', tree: units, spec: { unit: 'ssh', active: true }, mentions: 'not the live system' },
  ],
  error: [
    { name: 'unit file is a symlink loop', tree: { [`${E}/loop.service`]: { symlink: `${E}/loop.service` } }, spec: { unit: 'loop', state: 'disabled' } },
  ],
});

test('service: aliases, templates, static, indirect, empty files, runtime links, socket_activation off', async () => {
  const state = async (unit: string, extra: object = {}) => {
    const r = await evaluateOnFixture(serviceCheck, units, { unit, state: 'absent', ...extra });
    return /is ([a-z_]+)/.exec(r.summary)![1];
  };
  assert.equal(await state('sshd.service'), 'enabled', 'alias link resolves to ssh.service');
  assert.equal(await state('getty@tty1.service'), 'enabled');
  assert.equal(await state('getty@tty2.service'), 'disabled', 'instance links decide: only tty1 is linked');
  assert.equal(await state('systemd-journald'), 'static');
  assert.equal(await state('nfs-client.target'), 'indirect');
  assert.equal(await state('empty'), 'masked');
  assert.equal(await state('runtime'), 'enabled');
  assert.equal(await state('avahi-daemon'), 'enabled', 'enabled through avahi-daemon.socket');
  const off = await evaluateOnFixture(serviceCheck, units, { unit: 'avahi-daemon', state: 'not_enabled', socket_activation: false });
  assert.equal(off.status, 'pass', off.summary);
  assert.equal((await evaluateOnFixture(serviceCheck, units, { unit: 'avahi-daemon', state: 'disabled', socket_activation: false })).status, 'pass');
  // an /etc copy shadows the vendor file
  const shadow = await evaluateOnFixture(serviceCheck, { ...units, [`${E}/rsync.service`]: '[Service]\nExecStart=/bin/false\n' }, { unit: 'rsync', state: 'static' });
  assert.equal(shadow.status, 'pass', shadow.summary);
});

test('service: active state on the live root from cgroups and invocation records; unknown stays not_applicable', async () => {
  const fx = await buildFixtureRoot({
    ...units,
    '/run/systemd/system': { dir: true },
    '/sys/fs/cgroup/system.slice/ssh.service/cgroup.events': 'populated 1\nfrozen 0\n',
    '/sys/fs/cgroup/system.slice/rsync.service/cgroup.events': 'populated 0\nfrozen 0\n',
    '/run/systemd/units/invocation:rsync.service': { symlink: 'abc123' },
  });
  try {
    const ctx = testCheckContext(new LiveFixtureRoot(fx.dir));
    const run = async (spec: object) => serviceCheck.evaluate(serviceCheck.schema.parse(spec), ctx);
    assert.equal((await run({ unit: 'ssh', state: 'enabled', active: true })).status, 'pass');
    assert.equal((await run({ unit: 'ssh', active: false })).status, 'fail');
    assert.equal((await run({ unit: 'cups', active: false })).status, 'pass', 'no cgroup, no invocation: inactive');
    const unknown = await run({ unit: 'rsync', active: false });
    assert.equal(unknown.status, 'not_applicable', 'invocation without processes is not guessed');
    const mixed = await run({ unit: 'rsync', state: 'not_enabled', active: false });
    assert.equal(mixed.status, 'pass');
    assert.match(mixed.summary, /active state unknown/);
  } finally { await fx.cleanup(); }
  const { ['/run/systemd/system/multi-user.target.wants/runtime.service']: _runtime, ...withoutRun } = units;
  const noSystemd = await buildFixtureRoot(withoutRun);
  try {
    const r = await serviceCheck.evaluate(serviceCheck.schema.parse({ unit: 'ssh', active: true }), testCheckContext(new LiveFixtureRoot(noSystemd.dir)));
    assert.equal(r.status, 'not_applicable');
    assert.match(r.summary, /systemd is not running/);
  } finally { await noSystemd.cleanup(); }
});

test('service: schema', () => {
  assert.equal(serviceCheck.schema.safeParse({ unit: 'ssh' }).success, false, 'needs state or active');
  assert.equal(serviceCheck.schema.safeParse({ unit: 'ssh', state: 'running' }).success, false);
  assert.equal(serviceCheck.schema.safeParse({ unit: 'ssh', state: 'enabled', enabled: true }).success, false);
});
