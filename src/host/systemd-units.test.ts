/** The unit-file state reader against systemctl itself: `systemctl --root=DIR list-unit-files` on a fixture tree and on this machine. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HostRoot } from '../core/host-root.js';
import { lookupUnitState, parseInstallSection, readUnitScan } from './systemd-units.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';

const systemctl = ['/usr/bin/systemctl', '/bin/systemctl'].find(existsSync);

/** Compares every unit systemctl lists; systemctl's "alias" is compared with the aliased unit's state. */
async function compareWithSystemctl(dir: string): Promise<number> {
  const out = execFileSync(systemctl!, [`--root=${dir}`, 'list-unit-files', '--no-pager', '--no-legend'], { encoding: 'utf8' });
  const states = new Map(out.trim().split('\n').filter(Boolean).map((l) => l.split(/\s+/) as [string, string]));
  const root = new HostRoot(dir);
  const links = await readUnitScan(root);
  for (const [unit, state] of states) {
    const ours = await lookupUnitState(root, links, unit);
    const want = state === 'alias' ? states.get(ours.canonical) : state === 'enabled-runtime' ? 'enabled' : state;
    assert.equal(ours.state, want, `${unit}: systemctl says ${state}, we say ${ours.state} (${ours.foundAs} ${ours.foundAt})`);
  }
  return states.size;
}

test('systemd units: a fixture tree agrees with systemctl --root', { skip: !systemctl && 'systemctl is not installed' }, async () => {
  const L = '/lib/systemd/system';
  const E = '/etc/systemd/system';
  const fx = await buildFixtureRoot({
    [`${L}/ssh.service`]: '[Service]\nExecStart=/usr/sbin/sshd -D\n[Install]\nWantedBy=multi-user.target\nAlias=sshd.service\n',
    [`${E}/multi-user.target.wants/ssh.service`]: { symlink: `${L}/ssh.service` },
    [`${E}/sshd.service`]: { symlink: `${L}/ssh.service` },
    [`${L}/cups.service`]: '[Service]\nExecStart=/usr/sbin/cupsd -l\n[Install]\nWantedBy=multi-user.target\n',
    [`${E}/cups.service`]: { symlink: '/dev/null' },
    [`${L}/rsync.service`]: '[Service]\nExecStart=/usr/bin/rsync --daemon\n[Install]\nWantedBy=multi-user.target\n',
    [`${L}/journald.service`]: '[Service]\nExecStart=/bin/true\n',
    [`${L}/vendor-linked.target`]: '[Unit]\nDescription=x\n[Install]\nWantedBy=multi-user.target\n',
    [`${L}/multi-user.target.wants/vendor-linked.target`]: { symlink: '../vendor-linked.target' },
    [`${L}/multi-user.target`]: '[Unit]\nDescription=Multi-User\n',
    [`${L}/nfs-client.target`]: '[Unit]\nDescription=NFS client\n[Install]\nAlso=rsync.service\n',
    [`${L}/runtime.service`]: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
    ['/run/systemd/system/multi-user.target.wants/runtime.service']: { symlink: `${L}/runtime.service` },
    [`${E}/local.service`]: '[Service]\nExecStart=/bin/true\n[Install]\nRequiredBy=multi-user.target\n',
    [`${E}/multi-user.target.requires/local.service`]: { symlink: `${E}/local.service` },
  });
  try {
    assert.ok((await compareWithSystemctl(fx.dir)) >= 10);
  } finally { await fx.cleanup(); }
});

test('systemd units: this machine agrees with systemctl --root=/', { skip: (!systemctl || !existsSync('/lib/systemd/system')) && 'no systemd unit files here' }, async () => {
  assert.ok((await compareWithSystemctl('/')) > 20);
});

test('systemd units: [Install] parsing (continuations, resets, absent section)', () => {
  assert.deepEqual(parseInstallSection('[Install]\nWantedBy=a.target \\\n b.target\nWantedBy=\nWantedBy=c.target\nAlias=x.service\n')?.wantedBy, ['c.target']);
  assert.equal(parseInstallSection('[Unit]\nDescription=x\n'), undefined);
});
