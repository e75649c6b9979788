import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { HostRoot } from '../core/host-root.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';
import { readHostName } from './hostname.js';

test('the host name of a root: /etc/hostname offline, the running system live', async () => {
  const named = await buildFixtureRoot({ '/etc/hostname': '  web-07.prod \n# not this\n' });
  const unnamed = await buildFixtureRoot({ '/etc/hostname': '\n' });
  try {
    assert.equal(await readHostName(new HostRoot(named.dir)), 'web-07.prod');
    assert.equal(await readHostName(new HostRoot(unnamed.dir)), undefined);
    assert.equal(await readHostName(new HostRoot('/')), os.hostname());
  } finally {
    await named.cleanup();
    await unnamed.cleanup();
  }
});
