/**
 * systemd_units and startup_items against `systemctl list-unit-files --root=…` (which reads
 * unit files without a running systemd) on this machine and on a fixture root with every
 * kind of enablement; init.d links and XDG autostart entries on the fixture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { assertTypes, queryRoot, sh } from './helpers.js';

const listUnitFiles = (dir: string) => new Map(sh('systemctl', ['list-unit-files', `--root=${dir}`, '--no-legend', '--no-pager']).trim().split('\n').filter(Boolean).map((l) => l.split(/\s+/) as [string, string]));

test('systemd_units: every unit file systemctl lists on this machine, with its state', async () => {
  const { rows } = await queryRoot('/', 'SELECT * FROM systemd_units');
  assertTypes(rows, { id: 'TEXT', description: 'TEXT', load_state: 'TEXT', active_state: 'TEXT', unit_file_state: 'TEXT', job_id: 'NULL-OR-INTEGER', fragment_path: 'TEXT', user: 'TEXT', source_path: 'TEXT' });
  const theirs = listUnitFiles('/');
  const expected = [...theirs].filter(([name, state]) => state !== 'alias' && !/@\.[a-z]+$/.test(name));
  assert.deepEqual(rows.map((r) => `${r.id} ${r.unit_file_state}`).sort(), expected.map(([n, s]) => `${n} ${s}`).sort());
  const ssh = rows.find((r) => r.id === 'ssh.service');
  if (ssh) {
    assert.equal(ssh.fragment_path, '/lib/systemd/system/ssh.service');
    assert.equal(ssh.description, sh('grep', ['-m1', '^Description=', '/lib/systemd/system/ssh.service']).trim().slice('Description='.length));
  }
});

test('systemd_units and startup_items on a fixture root agree with systemctl --root', async () => {
  const unit = (desc: string, install = '', service = 'ExecStart=/usr/bin/true\n') => `[Unit]\nDescription=${desc}\n\n[Service]\n${service}\n${install ? `[Install]\n${install}\n` : ''}`;
  const root = await buildFixtureRoot({
    '/usr/lib/systemd/system/web.service': unit('Web server', 'WantedBy=multi-user.target\nAlias=www.service', 'User=www-data\nExecStart=-/usr/sbin/web --port 8080\n'),
    '/usr/lib/systemd/system/off.service': unit('Installed but off', 'WantedBy=multi-user.target'),
    '/usr/lib/systemd/system/static.service': unit('No install section'),
    '/usr/lib/systemd/system/helper.service': unit('Only Also', 'Also=web.service'),
    '/usr/lib/systemd/system/masked.service': unit('Masked', 'WantedBy=multi-user.target'),
    '/usr/lib/systemd/system/worker@.service': unit('Worker %i', 'WantedBy=multi-user.target'),
    '/usr/lib/systemd/system/multi-user.target': '[Unit]\nDescription=Multi-User System\n',
    '/usr/lib/systemd/system/clean.timer': '[Unit]\nDescription=Cleanup\n[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n',
    '/etc/systemd/system/multi-user.target.wants/web.service': { symlink: '/usr/lib/systemd/system/web.service' },
    '/etc/systemd/system/multi-user.target.wants/worker@1.service': { symlink: '/usr/lib/systemd/system/worker@.service' },
    '/etc/systemd/system/timers.target.wants/clean.timer': { symlink: '/usr/lib/systemd/system/clean.timer' },
    '/etc/systemd/system/www.service': { symlink: '/usr/lib/systemd/system/web.service' },
    '/etc/systemd/system/masked.service': { symlink: '/dev/null' },
    '/etc/systemd/system/local.service': unit('Local override', '', 'ExecStart="/opt/my app/run" -v\n'),
    '/etc/init.d/legacy': '#!/bin/sh\n',
    '/etc/rc2.d/S01legacy': { symlink: '../init.d/legacy' },
    '/etc/rc3.d/S01legacy': { symlink: '../init.d/legacy' },
    '/etc/rc2.d/K01other': { symlink: '../init.d/other' },
    '/etc/xdg/autostart/agent.desktop': '[Desktop Entry]\nName=Agent\nExec=/usr/bin/agent --tray\n',
    '/etc/xdg/autostart/hidden.desktop': '[Desktop Entry]\nName=Hidden one\nExec=/usr/bin/h\nHidden=true\n',
    '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n',
    '/usr/lib/systemd/system/off.service.d/10-user.conf': '[Service]\nUser=vendor\n',
    '/etc/systemd/system/off.service.d/10-user.conf': '[Service]\nUser=admin\n', // hides the vendor file of the same name
    '/etc/systemd/system/off.service.d/20-desc.conf': '[Unit]\nDescription=Overridden\n[Install]\nWantedBy=ignored.target\n',
    '/usr/lib/systemd/system/static.service.d/50-exec.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/other --flag\n',
  });
  try {
    const { rows } = await queryRoot(root.dir, 'SELECT id, description, load_state, unit_file_state, fragment_path, user FROM systemd_units');
    const theirs = listUnitFiles(root.dir);
    for (const r of rows) assert.equal(r.unit_file_state, theirs.get(r.id as string), `${r.id} as systemctl sees it`);
    assert.deepEqual(rows.map((r) => r.id), ['clean.timer', 'helper.service', 'local.service', 'masked.service', 'multi-user.target', 'off.service', 'static.service', 'web.service']);
    assert.deepEqual(rows.find((r) => r.id === 'web.service'), { id: 'web.service', description: 'Web server', load_state: 'loaded', unit_file_state: 'enabled', fragment_path: '/usr/lib/systemd/system/web.service', user: 'www-data' });
    assert.deepEqual(rows.find((r) => r.id === 'masked.service'), { id: 'masked.service', description: '', load_state: 'masked', unit_file_state: 'masked', fragment_path: '', user: '' });
    assert.equal(theirs.get('www.service'), 'alias');
    assert.deepEqual(rows.find((r) => r.id === 'off.service'), { id: 'off.service', description: 'Overridden', load_state: 'loaded', unit_file_state: 'disabled', fragment_path: '/usr/lib/systemd/system/off.service', user: 'admin' }, 'drop-ins apply in name order, /etc hides /usr/lib');
    assert.equal(theirs.get('worker@.service'), 'indirect', 'a template with only instance links');
    const { readUnitFiles } = await import('../../src/host/systemd-units.js');
    const { HostRoot } = await import('../../src/core/host-root.js');
    assert.deepEqual(readUnitFiles(new HostRoot(root.dir)).map((u) => [u.name, u.state]), [...theirs].sort((a, b) => (a[0] < b[0] ? -1 : 1)), 'aliases and templates too');
    const staticUnit = readUnitFiles(new HostRoot(root.dir)).find((u) => u.name === 'static.service')!;
    assert.deepEqual(staticUnit.settings.get('Service')?.get('ExecStart'), ['/usr/bin/other --flag'], 'an empty assignment in a drop-in resets the list');

    const { rows: items } = await queryRoot(root.dir, 'SELECT name, path, args, type, source, status, username FROM startup_items');
    assert.deepEqual(items, [
      { name: 'clean.timer', path: '', args: '', type: 'systemd unit', source: '/usr/lib/systemd/system/clean.timer', status: 'enabled', username: '' },
      { name: 'web.service', path: '/usr/sbin/web', args: '--port 8080', type: 'systemd unit', source: '/usr/lib/systemd/system/web.service', status: 'enabled', username: 'www-data' },
      { name: 'legacy', path: '/etc/init.d/legacy', args: '', type: 'init.d', source: '/etc/rc2.d/S01legacy', status: 'enabled', username: '' },
      { name: 'Agent', path: '/usr/bin/agent', args: '--tray', type: 'Startup Item', source: '/etc/xdg/autostart/agent.desktop', status: 'enabled', username: '' },
      { name: 'Hidden one', path: '/usr/bin/h', args: '', type: 'Startup Item', source: '/etc/xdg/autostart/hidden.desktop', status: 'disabled', username: '' },
    ]);
    const { splitExec } = await import('../../src/query/tables/startup_items.js');
    assert.deepEqual(splitExec('"/opt/my app/run" -v'), ['/opt/my app/run', '-v']);
  } finally {
    await root.cleanup();
  }
});
