import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashValuesOf, redactHashFileLine, redactHashesByShape, redactPasswordField } from './password-hashes.js';

const SHA512 = '$6$rounds=5000$saltsalt$Qm3kN0b2cXcQ1vLzM2Z8jq0Q0pYy4w3v6Z2zq0YcH1xR2eSgQ2L8m9kW2cQd7Xz0R1oGk5v3aQ1s2d3f4g5h6j';
const YESCRYPT = '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7';

test('a password field keeps its lock marks and algorithm, loses the secret', () => {
  assert.equal(redactPasswordField(SHA512), '$6$<redacted>');
  assert.equal(redactPasswordField('!' + YESCRYPT), '!$y$<redacted>');
  assert.equal(redactPasswordField('abcdefghijklm'), '<redacted>'); // DES
  for (const kept of ['', '*', '!', '!!', '!*']) assert.equal(redactPasswordField(kept), kept);
});

test('lines of shadow, gshadow and opasswd lose the hash field; other files are untouched', () => {
  assert.equal(redactHashFileLine('/etc/shadow', `root:${SHA512}:19000:0:99999:7:::`), 'root:$6$<redacted>:19000:0:99999:7:::');
  assert.equal(redactHashFileLine('/etc/gshadow', 'adm:abcdefghijklm:root:alice'), 'adm:<redacted>:root:alice');
  assert.equal(redactHashFileLine('/etc/security/opasswd', `alice:1000:2:${SHA512},${YESCRYPT}`), 'alice:1000:2:$6$<redacted>,$y$<redacted>');
  assert.equal(redactHashFileLine('/etc/passwd', 'root:x:0:0:root:/root:/bin/bash'), 'root:x:0:0:root:/root:/bin/bash');
  assert.deepEqual(hashValuesOf('/etc/shadow', 'bin:*:19000:0:99999:7:::'), []);
  assert.deepEqual(hashValuesOf('/etc/shadow', `root:!${SHA512}:19000::::::`), [SHA512]);
});

test('hashes are found by shape in any text: crypt strings, GRUB hashes and password lines, shadow-shaped lines', () => {
  const text = [
    `found at /etc/shadow:1: root:abcdefghijklm:19000:0:99999:7:::`,
    `hash ${YESCRYPT} here`,
    'password_pbkdf2 admin grub.pbkdf2.sha512.10000.ABCDEF0123.9876FEDC',
    '  password root hunter2',
    'GRUB2_PASSWORD=grub.pbkdf2.sha512.10000.AA.BB',
  ].join('\n');
  const out = redactHashesByShape(text);
  for (const secret of ['abcdefghijklm', 'F5Jx5fEx', 'ABCDEF0123', 'hunter2', '.AA.BB']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
  assert.match(out, /root:<redacted>:19000:0:99999:7:::/);
  assert.match(out, /hash \$y\$<redacted> here/);
  assert.match(out, /password root <redacted>/);
  // what evidence usually says is left alone
  const plain = 'expected /^root:(\\$[0-9a-z]+\\$[^:]+|[./0-9A-Za-z]{13}):/; found PermitRootLogin no; $1 costs $5';
  assert.equal(redactHashesByShape(plain), plain);
});
