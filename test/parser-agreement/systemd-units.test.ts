/**
 * Parser agreement for systemd unit files: the audit's `service` check and the systemd_units
 * table read one module (src/host/systemd-units.ts), so on one fixture root every unit has
 * the same state in both (the table speaks `systemctl list-unit-files`, the check
 * `systemctl is-enabled`: enabled-runtime is enabled, an alias has its unit's state), and
 * both agree with systemctl itself where it is installed. Before, the two had their own
 * search paths and template rules (a template with only an instance link was "enabled" to the
 * check and "indirect" to the table), and both ignored [Install] in drop-ins, which systemctl
 * applies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HostRoot } from '../../src/core/host-root.js';
import { serviceCheck } from '../../src/audit/checks/service/index.js';
import { testCheckContext } from '../../src/audit/checks/common/conformance.test-helpers.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { queryRoot } from '../query-tables/helpers.js';

const L = '/lib/systemd/system';
const E = '/etc/systemd/system';
const unit = (install = '', service = 'ExecStart=/bin/true\n') => `[Unit]\nDescription=x\n[Service]\n${service}${install ? `[Install]\n${install}\n` : ''}`;

const STATES = ['enabled', 'disabled', 'masked', 'static', 'indirect', 'absent'] as const;

/** The state the service check reports (the one of STATES it passes with). */
async function checkState(root: HostRoot, name: string): Promise<string> {
  const verdict = await serviceCheck.evaluate(serviceCheck.schema.parse({ unit: name, state: 'absent', socket_activation: false }), testCheckContext(root));
  const m = / is (\S+?)(,|$)/.exec(verdict.summary);
  return m?.[1] ?? `? ${verdict.summary}`;
}

test('systemd units: the service check and systemd_units agree on every unit of a fixture root', async () => {
  const fx = await buildFixtureRoot({
    [`${L}/ssh.service`]: unit('WantedBy=multi-user.target\nAlias=sshd.service'),
    [`${E}/multi-user.target.wants/ssh.service`]: { symlink: `${L}/ssh.service` },
    [`${E}/sshd.service`]: { symlink: `${L}/ssh.service` },
    [`${L}/cups.service`]: unit('WantedBy=multi-user.target'),
    [`${E}/cups.service`]: { symlink: '/dev/null' },
    [`${L}/empty.service`]: '',
    [`${L}/rsync.service`]: unit('WantedBy=multi-user.target'),
    [`${L}/journald.service`]: unit(),
    [`${L}/nfs-client.target`]: '[Unit]\nDescription=NFS\n[Install]\nAlso=rsync.service\n',
    [`${L}/runtime.service`]: unit('WantedBy=multi-user.target'),
    ['/run/systemd/system/multi-user.target.wants/runtime.service']: { symlink: `${L}/runtime.service` },
    [`${L}/worker@.service`]: unit('WantedBy=multi-user.target'),
    [`${E}/multi-user.target.wants/worker@1.service`]: { symlink: `${L}/worker@.service` },
    [`${L}/default@.service`]: unit('WantedBy=multi-user.target\nDefaultInstance=main'),
    [`${E}/multi-user.target.wants/default@main.service`]: { symlink: `${L}/default@.service` },
    [`${L}/off.service`]: unit('WantedBy=multi-user.target'),
    [`${E}/off.service.d/10-install.conf`]: '[Install]\nWantedBy=\n', // systemctl applies [Install] from drop-ins: WantedBy reset, static
    [`${L}/late.service`]: unit(),
    [`${L}/late.service.d/50-install.conf`]: '[Install]\nWantedBy=multi-user.target\n',
    [`${L}/multi-user.target`]: '[Unit]\nDescription=Multi-User\n',
  });
  try {
    const root = new HostRoot(fx.dir);
    const { rows } = await queryRoot(fx.dir, 'SELECT id, unit_file_state FROM systemd_units');
    const tableState = new Map(rows.map((r) => [r.id as string, r.unit_file_state as string]));
    const expected: Record<string, string> = {
      'ssh.service': 'enabled', 'sshd.service': 'enabled', 'cups.service': 'masked', 'empty.service': 'masked', 'rsync.service': 'disabled',
      'journald.service': 'static', 'nfs-client.target': 'indirect', 'runtime.service': 'enabled', 'worker@.service': 'indirect',
      'worker@1.service': 'enabled', 'worker@2.service': 'disabled', 'default@.service': 'enabled', 'off.service': 'static', 'late.service': 'disabled',
      'multi-user.target': 'static', 'telnet.service': 'absent',
    };
    for (const [name, want] of Object.entries(expected)) {
      const got = await checkState(root, name);
      assert.ok((STATES as readonly string[]).includes(got), `${name}: ${got}`);
      assert.equal(got, want, `the service check on ${name}`);
      const listed = tableState.get(name);
      if (listed === undefined) continue; // aliases, templates and instances are not rows of systemd_units
      assert.equal(listed === 'enabled-runtime' ? 'enabled' : listed, got, `systemd_units and the service check on ${name}`);
    }
    assert.equal(tableState.get('runtime.service'), 'enabled-runtime');
    const systemctl = ['/usr/bin/systemctl', '/bin/systemctl'].find(existsSync);
    if (systemctl) {
      const theirs = execFileSync(systemctl, [`--root=${fx.dir}`, 'list-unit-files', '--no-pager', '--no-legend'], { encoding: 'utf8' });
      for (const line of theirs.trim().split('\n')) {
        const [name, state] = line.split(/\s+/) as [string, string];
        if (tableState.has(name)) assert.equal(tableState.get(name), state, `systemd_units and systemctl on ${name}`);
        else if (state !== 'alias') assert.equal(expected[name], state === 'enabled-runtime' ? 'enabled' : state, `the check and systemctl on ${name}`);
      }
    }
  } finally {
    await fx.cleanup();
  }
});
