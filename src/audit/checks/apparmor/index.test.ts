/** Tests of the `apparmor` check type: the conformance suite plus the policy parser. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheckConformance } from '../common/conformance.test-helpers.js';
import { parseKernelProfiles, parsePolicyFile } from './profiles.js';
import { apparmorCheck } from './index.js';

const ENFORCED = 'abi <abi/3.0>,\ninclude <tunables/global>\n/usr/sbin/ntpd {\n  include <abstractions/base>\n  ^hat { }\n}\n';
const COMPLAIN = 'profile lsb_release flags=(complain) {\n  /usr/bin/lsb_release r,\n}\n';
const UNCONFINED = 'profile firefox /usr/lib/firefox/firefox flags=(unconfined) {\n  userns,\n}\n';

runCheckConformance(apparmorCheck, {
  pass: [
    { name: 'policy: enforce and complain', tree: { '/etc/apparmor.d/usr.sbin.ntpd': ENFORCED, '/etc/apparmor.d/lsb_release': COMPLAIN, '/etc/apparmor.d/abstractions/base': '/etc/ld.so.cache r,\n' }, spec: {}, mentions: '1 enforce' },
    { name: 'live kernel list', tree: { '/sys/kernel/security/apparmor/profiles': '/usr/sbin/ntpd (enforce)\nlsb_release (complain)\n' }, spec: {} },
    { name: 'disabled profile does not count', tree: { '/etc/apparmor.d/usr.sbin.ntpd': ENFORCED, '/etc/apparmor.d/firefox': UNCONFINED, '/etc/apparmor.d/disable/firefox': { symlink: '/etc/apparmor.d/firefox' } }, spec: { modes: ['enforce'] } },
  ],
  fail: [
    { name: 'complain when enforce is required', tree: { '/etc/apparmor.d/usr.sbin.ntpd': ENFORCED, '/etc/apparmor.d/lsb_release': COMPLAIN }, spec: { modes: ['enforce'] }, mentions: 'lsb_release (complain)' },
    { name: 'unconfined profile', tree: { '/etc/apparmor.d/firefox': UNCONFINED }, spec: {}, mentions: 'unconfined' },
    { name: 'force-complain link', tree: { '/etc/apparmor.d/usr.sbin.ntpd': ENFORCED, '/etc/apparmor.d/force-complain/usr.sbin.ntpd': { symlink: '/etc/apparmor.d/usr.sbin.ntpd' } }, spec: { modes: ['enforce'] } },
    { name: 'no policy at all', tree: {}, spec: {}, mentions: 'no AppArmor policy' },
    { name: 'live: kill mode', tree: { '/sys/kernel/security/apparmor/profiles': 'x (kill)\n' }, spec: {} },
  ],
  not_applicable: [
    { name: 'kernel only, not the live host', tree: { '/etc/apparmor.d/usr.sbin.ntpd': ENFORCED }, spec: { source: 'kernel' } },
  ],
  error: [
    { name: 'kernel list is a symlink loop', tree: { '/sys/kernel/security/apparmor/profiles': { symlink: '/sys/kernel/security/apparmor/profiles' } }, spec: {} },
  ],
});

test('parsers: headers at top level only, flags, kernel lines', () => {
  assert.deepEqual(parsePolicyFile(ENFORCED + COMPLAIN, 'f').map((p) => [p.name, p.mode]), [['/usr/sbin/ntpd', 'enforce'], ['lsb_release', 'complain']]);
  assert.deepEqual(parsePolicyFile('# profile x {\n/bin/ping flags=(attach_disconnected, complain) {\n}\n', 'f').map((p) => [p.name, p.mode]), [['/bin/ping', 'complain']]);
  assert.deepEqual(parseKernelProfiles('snap.lxd (enforce)\n/usr/bin/man (complain)\n\n').map((p) => [p.name, p.mode]), [['snap.lxd', 'enforce'], ['/usr/bin/man', 'complain']]);
});
