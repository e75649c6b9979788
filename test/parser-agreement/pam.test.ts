/**
 * Parser agreement for PAM: no SQL table reads /etc/pam.d, so the two readers that must agree
 * are the audit's `config` formats pam (a module line and its arguments) and pwquality (the
 * pam_pwquality arguments that override pwquality.conf). Both read the stack through
 * src/host/pam.ts: the same @include, substack, [value=action] control and bracketed argument
 * handling give the same line and the same value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../../src/core/host-root.js';
import { configCheck } from '../../src/audit/checks/config/index.js';
import { testCheckContext } from '../../src/audit/checks/common/conformance.test-helpers.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';

test('PAM: format pam and format pwquality read the same pam_pwquality line through @include and a substack', async () => {
  const fx = await buildFixtureRoot({
    '/etc/pam.d/passwd': '# the service\n@include common-password\n',
    '/etc/pam.d/common-password': [
      'password [success=1 default=ignore] pam_unix.so obscure yescrypt',
      'password substack pwq',
      'auth required pam_deny.so',
    ].join('\n') + '\n',
    '/etc/pam.d/pwq': '-password requisite pam_pwquality.so retry=3 \\\n  minlen=14 [badwords=foo bar]\nauth required pam_pwquality.so minlen=99\n',
    '/etc/security/pwquality.conf': 'minlen = 8\ndcredit = -1\n',
  });
  try {
    const ctx = testCheckContext(new HostRoot(fx.dir));
    const run = async (spec: object) => configCheck.evaluate(configCheck.schema.parse(spec), ctx);
    const pam = await run({ format: 'pam', path: '/etc/pam.d/passwd', key: 'pam_pwquality.so', pam_type: 'password', argument: 'minlen', op: 'equals', value: 14 });
    const pwq = await run({ format: 'pwquality', key: 'minlen', op: 'equals', value: 14, pam_file: '/etc/pam.d/passwd' });
    assert.equal(pam.status, 'pass', pam.summary);
    assert.equal(pwq.status, 'pass', pwq.summary);
    const where = (r: typeof pam) => r.evidence.map((e) => `${e.source}:${e.line}`).find((s) => s.startsWith('/etc/pam.d/'));
    assert.equal(where(pam), '/etc/pam.d/pwq:1');
    assert.equal(where(pwq), where(pam), 'both cite the same line');
    // the auth line of the substack file is not part of the password stack for either reader
    assert.equal((await run({ format: 'pwquality', key: 'minlen', op: 'equals', value: 99, pam_file: '/etc/pam.d/passwd' })).status, 'fail');
    assert.equal((await run({ format: 'pam', path: '/etc/pam.d/passwd', key: 'pam_unix.so', pam_control: '[success=1  default=ignore]', op: 'present' })).status, 'pass');
    assert.equal((await run({ format: 'pwquality', key: 'dcredit', op: 'equals', value: -1, pam_file: '/etc/pam.d/passwd' })).status, 'pass', 'the file value where PAM sets none');
  } finally {
    await fx.cleanup();
  }
});
