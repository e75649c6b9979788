/** On Debian 12 a plain `spyglass audit` runs the full CIS profile; the starter runs when named. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../../src/core/host-root.js';
import { profilesForAudit } from '../../src/audit/profile/select-profiles.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';

test('default selection on Debian 12 and Ubuntu, and a profile named by id', async () => {
  const debian = await buildFixtureRoot({ '/etc/os-release': 'ID=debian\nVERSION_ID="12"\n' });
  const ubuntu = await buildFixtureRoot({ '/etc/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\nID_LIKE=debian\n' });
  try {
    assert.deepEqual((await profilesForAudit([], new HostRoot(debian.dir))).profiles.map((p) => p.id), ['cis-debian-12']);
    assert.deepEqual((await profilesForAudit([], new HostRoot(ubuntu.dir))).profiles.map((p) => p.id), ['cis-ubuntu-22.04']);
    assert.deepEqual((await profilesForAudit(['cis-debian-12-starter'], new HostRoot(debian.dir))).profiles.map((p) => p.id), ['cis-debian-12-starter']);
  } finally {
    await debian.cleanup();
    await ubuntu.cleanup();
  }
});
