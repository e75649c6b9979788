/** The PAM parser: module lines, [value=action] controls, bracketed arguments, includes, errors with file:line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../core/host-root.js';
import { SpyglassError } from '../core/errors.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';
import { loadPamStackSync, parsePamFile } from './pam.js';

test('parsePamFile: controls, bracket groups, silent modules, continuation lines and comments', () => {
  const text = [
    '# comment',
    'auth\t[success=1 default=ignore]\tpam_unix.so nullok # trailing comment',
    '-session optional pam_systemd.so',
    'password requisite pam_pwquality.so \\',
    '  retry=3',
    'account required pam_access.so [accessfile=/etc/my access.conf]',
    '@include common-session',
    'session substack other-session',
  ].join('\n');
  assert.deepEqual(parsePamFile(text, '/etc/pam.d/x'), [
    { kind: 'module', type: 'auth', control: '[success=1 default=ignore]', module: 'pam_unix.so', args: ['nullok'], source: '/etc/pam.d/x', line: 2 },
    { kind: 'module', type: 'session', control: 'optional', module: 'pam_systemd.so', args: [], source: '/etc/pam.d/x', line: 3 },
    { kind: 'module', type: 'password', control: 'requisite', module: 'pam_pwquality.so', args: ['retry=3'], source: '/etc/pam.d/x', line: 4 },
    { kind: 'module', type: 'account', control: 'required', module: 'pam_access.so', args: ['[accessfile=/etc/my access.conf]'], source: '/etc/pam.d/x', line: 6 },
    { kind: 'include', name: 'common-session', source: '/etc/pam.d/x', line: 7 },
    { kind: 'include', name: 'other-session', type: 'session', source: '/etc/pam.d/x', line: 8 },
  ]);
  for (const [bad, why] of [['auth [success=1 pam_unix.so', /"\[" without "\]"/], ['auth required', /expected "type control module/], ['login required pam_unix.so', /unknown PAM type "login"/]] as const) {
    assert.throws(() => parsePamFile(`# x\n${bad}\n`, '/etc/pam.d/y'), (e: unknown) => e instanceof SpyglassError && e.context.line === 2 && why.test(e.message) && e.message.startsWith('/etc/pam.d/y:2:'));
  }
});

test('loadPamStackSync: @include reads every type, substack only its own; missing includes add nothing', async () => {
  const fx = await buildFixtureRoot({
    '/etc/pam.d/login': '@include common-auth\nsession substack common-mixed\n@include nowhere\naccount required pam_nologin.so\n',
    '/etc/pam.d/common-auth': 'auth required pam_faillock.so preauth\n',
    '/etc/pam.d/common-mixed': 'auth required pam_deny.so\nsession required pam_limits.so\n',
  });
  try {
    const stack = loadPamStackSync(new HostRoot(fx.dir), '/etc/pam.d/login')!;
    assert.deepEqual(stack.map((l) => `${l.source}:${l.line} ${l.type} ${l.module}`), [
      '/etc/pam.d/common-auth:1 auth pam_faillock.so',
      '/etc/pam.d/common-mixed:2 session pam_limits.so',
      '/etc/pam.d/login:4 account pam_nologin.so',
    ]);
    assert.equal(loadPamStackSync(new HostRoot(fx.dir), '/etc/pam.d/absent'), undefined);
  } finally {
    await fx.cleanup();
  }
});
