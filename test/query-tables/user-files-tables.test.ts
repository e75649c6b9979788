/**
 * Per-user and login tables on fixture roots built by the test, checked against OpenSSH's
 * ssh-keygen, util-linux's utmpdump / last and glibc's who: shell_history, authorized_keys,
 * user_ssh_keys, known_hosts, sudoers, crontab, logged_in_users, last.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildFixtureRoot, type FixtureRoot } from '../helpers/fixture-root.js';
import { encodeUtmp } from '../../src/query/table-support/utmp.js';
import { assertTypes, queryRoot, sh } from './helpers.js';

let root: FixtureRoot;
const q = (sql: string) => queryRoot(root.dir, sql).then((r) => r.rows);

before(async () => {
  root = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/zsh\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n',
    '/root/.bash_history': '#1700000000\nls -la\n#1700000100\nsudo -i\nplain command\n',
    '/home/bob/.zsh_history': ': 1700000200:0;echo one\n: 1700000300:5;for i in 1 2; do\\\necho $i\\\ndone\n',
    '/home/alice/.ssh/known_hosts': '# comment\ngithub.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n|1|abc=|def= ecdsa-sha2-nistp256 AAAAE2VjZHNh\n',
  });
});
after(() => root.cleanup());

test('shell_history: bash timestamps, zsh extended history with multi-line commands', async () => {
  const rows = await q('SELECT uid, time, command, history_file FROM shell_history');
  assert.deepEqual(rows, [
    { uid: 0, time: 1700000000, command: 'ls -la', history_file: '/root/.bash_history' },
    { uid: 0, time: 1700000100, command: 'sudo -i', history_file: '/root/.bash_history' },
    { uid: 0, time: 0, command: 'plain command', history_file: '/root/.bash_history' },
    { uid: 1001, time: 1700000200, command: 'echo one', history_file: '/home/bob/.zsh_history' },
    { uid: 1001, time: 1700000300, command: 'for i in 1 2; do\necho $i\ndone', history_file: '/home/bob/.zsh_history' },
  ]);
  assert.deepEqual((await q('SELECT command FROM shell_history WHERE uid = 1001')).length, 2);
  // bash itself reads the same commands from the file (history -r)
  const bashSees = execFileSync('bash', ['-c', `HISTFILE=${root.dir}/root/.bash_history; HISTTIMEFORMAT='%s '; history -r; history`], { encoding: 'utf8' });
  for (const c of ['ls -la', 'sudo -i', 'plain command']) assert.match(bashSees, new RegExp(c));
  assert.match(bashSees, /1700000000 ls -la/);
});

test('authorized_keys, user_ssh_keys and known_hosts agree with ssh-keygen', async () => {
  const ssh = path.join(root.dir, 'home/alice/.ssh');
  fs.mkdirSync(ssh, { recursive: true });
  const gen = (name: string, args: string[]) => execFileSync('ssh-keygen', ['-q', '-f', path.join(ssh, name), '-C', `${name}@test`, ...args], { stdio: 'ignore' });
  gen('id_rsa', ['-t', 'rsa', '-b', '3072', '-N', '']);
  gen('id_ecdsa', ['-t', 'ecdsa', '-b', '384', '-N', '']);
  gen('id_ed25519', ['-t', 'ed25519', '-N', 'secret']);
  gen('id_pem', ['-t', 'rsa', '-b', '2048', '-N', '', '-m', 'PEM']);
  gen('id_pem_enc', ['-t', 'rsa', '-b', '2048', '-N', 'secret', '-m', 'PEM']);
  const pub = (n: string) => fs.readFileSync(path.join(ssh, `${n}.pub`), 'utf8').trim();
  fs.writeFileSync(path.join(ssh, 'authorized_keys'), `# keys\n${pub('id_rsa')}\ncommand="echo hi; exit",from="10.0.0.0/8" ${pub('id_ed25519')}\n\nno-pty ${pub('id_ecdsa')}\n`);

  const ak = await q('SELECT uid, algorithm, key, options, comment, key_file FROM authorized_keys');
  assert.deepEqual(ak.map((r) => [r.uid, r.algorithm, r.options, r.comment]), [
    [1000, 'ssh-rsa', '', 'id_rsa@test'], [1000, 'ssh-ed25519', 'command="echo hi; exit",from="10.0.0.0/8"', 'id_ed25519@test'], [1000, 'ecdsa-sha2-nistp384', 'no-pty', 'id_ecdsa@test'],
  ]);
  assert.equal(ak[0]!.key, pub('id_rsa').split(' ')[1]);
  assert.equal(ak[0]!.key_file, '/home/alice/.ssh/authorized_keys');

  const keys = await q('SELECT * FROM user_ssh_keys ORDER BY path');
  assertTypes(keys, { uid: 'INTEGER', path: 'TEXT', encrypted: 'INTEGER', key_type: 'TEXT', key_group_name: 'TEXT', key_length: 'INTEGER', key_security_bits: 'INTEGER' });
  const byName = new Map(keys.map((k) => [path.basename(k.path as string), k]));
  assert.deepEqual([...byName.keys()].sort(), ['id_ecdsa', 'id_ed25519', 'id_pem', 'id_pem_enc', 'id_rsa']);
  for (const name of ['id_rsa', 'id_ecdsa', 'id_ed25519', 'id_pem']) {
    const [bits, , , type] = sh('ssh-keygen', ['-l', '-f', path.join(ssh, `${name}.pub`)]).trim().split(' ');
    const k = byName.get(name)!;
    const expectedType = { RSA: 'rsa', ECDSA: 'ec', ED25519: '' }[type!.replace(/[()]/g, '')];
    assert.equal(k.key_type, expectedType, name);
    assert.equal(k.key_length, type === '(ED25519)' ? 253 : Number(bits), name); // OpenSSL counts 253 bits for ed25519
  }
  assert.deepEqual([byName.get('id_rsa')!.key_security_bits, byName.get('id_ecdsa')!.key_security_bits, byName.get('id_ed25519')!.key_security_bits, byName.get('id_pem')!.key_security_bits], [128, 192, 128, 112]);
  assert.equal(byName.get('id_ecdsa')!.key_group_name, 'secp384r1');
  assert.deepEqual(keys.map((k) => [path.basename(k.path as string), k.encrypted]).sort(), [['id_ecdsa', 0], ['id_ed25519', 1], ['id_pem', 0], ['id_pem_enc', 1], ['id_rsa', 0]]);
  assert.deepEqual([byName.get('id_pem_enc')!.key_type, byName.get('id_pem_enc')!.key_length], ['rsa', -1], 'an encrypted PEM key: type from its header, length unknown');

  const kh = await q('SELECT uid, key, key_file FROM known_hosts');
  assert.equal(kh.length, 2);
  assert.equal(kh[0]!.key_file, '/home/alice/.ssh/known_hosts');
  // ssh-keygen -F finds the first entry in the same file
  assert.match(sh('ssh-keygen', ['-F', 'github.com', '-f', path.join(root.dir, 'home/alice/.ssh/known_hosts')]), new RegExp((kh[0]!.key as string).split(' ')[2]!.slice(0, 30)));
});

test('authorized_keys follows sshd_config AuthorizedKeysFile (Include, first value wins, Match blocks skipped, %u / %h)', async () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
  const custom = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nsvc:x:999:999::/nonexistent:/usr/sbin/nologin\nsvc2:x:998:998::/nonexistent:/usr/sbin/nologin\n',
    '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nAuthorizedKeysFile .ssh/ignored_because_later\nMatch User root\n  AuthorizedKeysFile /never\n',
    '/etc/ssh/sshd_config.d/10-keys.conf': '# central keys\nAuthorizedKeysFile /etc/ssh/keys/%u %h/.ssh/authorized_keys\n',
    '/etc/ssh/keys/alice': `${key} alice-central\n`,
    '/etc/ssh/keys/svc2': `${key} svc2-central\n`,
    '/home/alice/.ssh/authorized_keys': `${key} alice-home\n`,
    '/home/alice/.ssh/authorized_keys2': `${key} not-read\n`,
  });
  try {
    const { rows } = await queryRoot(custom.dir, 'SELECT uid, comment, key_file FROM authorized_keys');
    assert.deepEqual(rows, [
      { uid: 1000, comment: 'alice-central', key_file: '/etc/ssh/keys/alice' },
      { uid: 1000, comment: 'alice-home', key_file: '/home/alice/.ssh/authorized_keys' },
      { uid: 998, comment: 'svc2-central', key_file: '/etc/ssh/keys/svc2' },
    ]);
    await custom.add({ '/etc/ssh/sshd_config.d/10-keys.conf': 'AuthorizedKeysFile none\n' });
    assert.deepEqual((await queryRoot(custom.dir, 'SELECT * FROM authorized_keys')).rows, [], 'AuthorizedKeysFile none');
  } finally {
    await custom.cleanup();
  }
});

test('sudoers: rules, continuations and includes in sudo\'s order', async () => {
  await root.add({
    '/etc/sudoers': 'Defaults\tenv_reset\nDefaults\tsecure_path="/usr/bin:/bin"\n# a comment\nroot\tALL=(ALL:ALL) ALL\n%sudo\tALL=(ALL:ALL) \\\n  ALL\n@includedir /etc/sudoers.d\n',
    '/etc/sudoers.d/ops': 'alice ALL=(root) NOPASSWD: /usr/bin/systemctl\n#include extra\n',
    '/etc/sudoers.d/extra': 'bob ALL=(ALL) ALL\n',
    '/etc/sudoers.d/README.txt': 'ignored ALL=(ALL) ALL\n',
    '/etc/sudoers.d/backup~': 'ignored ALL=(ALL) ALL\n',
  });
  const rows = await q('SELECT source, header, rule_details FROM sudoers');
  assert.deepEqual(rows, [
    { source: '/etc/sudoers', header: 'Defaults', rule_details: 'env_reset' },
    { source: '/etc/sudoers', header: 'Defaults', rule_details: 'secure_path="/usr/bin:/bin"' },
    { source: '/etc/sudoers', header: 'root', rule_details: 'ALL=(ALL:ALL) ALL' },
    { source: '/etc/sudoers', header: '%sudo', rule_details: 'ALL=(ALL:ALL)    ALL' },
    { source: '/etc/sudoers', header: '@includedir', rule_details: '/etc/sudoers.d' },
    { source: '/etc/sudoers.d/extra', header: 'bob', rule_details: 'ALL=(ALL) ALL' },
    { source: '/etc/sudoers.d/ops', header: 'alice', rule_details: 'ALL=(root) NOPASSWD: /usr/bin/systemctl' },
    { source: '/etc/sudoers.d/ops', header: '#include', rule_details: 'extra' },
  ]);
});

test('crontab: system, cron.d and user crontabs; @events; environment lines skipped', async () => {
  await root.add({
    '/etc/crontab': 'SHELL=/bin/sh\nMAILTO = root\n17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n',
    '/etc/cron.d/backup': '@reboot root /usr/local/bin/backup --boot\n*/5 1-3 1,15 jan mon-fri root /bin/true\n',
    '/etc/cron.d/skip.dpkg-old': '* * * * * root /bin/false\n',
    '/var/spool/cron/crontabs/alice': '# DO NOT EDIT\n0 4 * * * /home/alice/bin/sync\n',
  });
  const rows = await q('SELECT event, minute, hour, day_of_month, month, day_of_week, command, path FROM crontab');
  assert.deepEqual(rows, [
    { event: '', minute: '17', hour: '*', day_of_month: '*', month: '*', day_of_week: '*', command: 'root\tcd / && run-parts --report /etc/cron.hourly', path: '/etc/crontab' },
    { event: '@reboot', minute: '', hour: '', day_of_month: '', month: '', day_of_week: '', command: 'root /usr/local/bin/backup --boot', path: '/etc/cron.d/backup' },
    { event: '', minute: '*/5', hour: '1-3', day_of_month: '1,15', month: 'jan', day_of_week: 'mon-fri', command: 'root /bin/true', path: '/etc/cron.d/backup' },
    { event: '', minute: '0', hour: '4', day_of_month: '*', month: '*', day_of_week: '*', command: '/home/alice/bin/sync', path: '/var/spool/cron/crontabs/alice' },
  ]);
  // this machine: the system crontab, as cron reads it, gives the jobs we list
  const live = await queryRoot('/', "SELECT command FROM crontab WHERE path = '/etc/crontab'");
  const jobs = fs.existsSync('/etc/crontab') ? fs.readFileSync('/etc/crontab', 'utf8').split('\n').filter((l) => /^\s*[\d*@]/.test(l)) : [];
  assert.equal(live.rows.length, jobs.length);
});

test('logged_in_users and last read utmp / wtmp records as utmpdump, who and last do', async () => {
  const now = Math.floor(Date.now() / 1000) - 3600;
  const utmp = Buffer.concat([
    encodeUtmp({ type: 2, pid: 0, line: '~', user: 'reboot', host: '6.1.0', time: now - 100 }),
    encodeUtmp({ type: 6, pid: 812, line: 'tty1', id: 'tty1', user: 'LOGIN', time: now - 50 }),
    encodeUtmp({ type: 7, pid: 4242, line: 'pts/0', id: 'ts/0', user: 'alice', host: '203.0.113.9', time: now }),
    encodeUtmp({ type: 7, pid: 4343, line: 'pts/1', id: 'ts/1', user: 'bob', host: '', time: now + 10 }),
    encodeUtmp({ type: 0 }),
  ]);
  const wtmp = Buffer.concat([
    encodeUtmp({ type: 2, pid: 0, line: '~', id: '~~', user: 'reboot', host: '6.1.0-13-amd64', time: now - 100 }),
    encodeUtmp({ type: 7, pid: 4242, line: 'pts/0', id: 'ts/0', user: 'alice', host: '203.0.113.9', time: now }),
    encodeUtmp({ type: 8, pid: 4242, line: 'pts/0', id: 'ts/0', user: '', host: '', time: now + 60 }),
  ]);
  await root.add({ '/var/run/utmp': { content: utmp }, '/var/log/wtmp': { content: wtmp } });

  // osquery skips only pid-1 records: the boot record and the empty slot (pid 0) are rows
  const users = await q('SELECT * FROM logged_in_users');
  assert.deepEqual(users.filter((u) => u.type === 'boot_time' || u.type === 'empty').map((u) => [u.type, u.user, u.pid]), [['boot_time', 'reboot', 0], ['empty', '', 0]]);
  assert.deepEqual(users.filter((u) => u.pid !== 0), [
    { type: 'login', user: 'LOGIN', tty: 'tty1', host: '', time: now - 50, pid: 812 },
    { type: 'user', user: 'alice', tty: 'pts/0', host: '203.0.113.9', time: now, pid: 4242 },
    { type: 'user', user: 'bob', tty: 'pts/1', host: '', time: now + 10, pid: 4343 },
  ]);
  const who = sh('who', [path.join(root.dir, 'var/run/utmp')]).trim().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '));
  assert.deepEqual(who, ['alice pts/0', 'bob pts/1']);

  // osquery's last lists login (user-process) and logout (dead-process) records only: no boot records
  const last = await q('SELECT * FROM last');
  assert.deepEqual(last.map((r) => [r.username, r.tty, r.pid, r.type, r.type_name, r.time, r.host]), [
    ['alice', 'pts/0', 4242, 7, 'user-process', now, '203.0.113.9'], ['', 'pts/0', 4242, 8, 'dead-process', now + 60, ''],
  ]);
  const dump = sh('utmpdump', [path.join(root.dir, 'var/log/wtmp')]).trim().split('\n').filter((l) => /^\[[78]\]/.test(l));
  assert.equal(dump.length, last.length);
  dump.forEach((l, i) => {
    const f = [...l.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!.trim());
    assert.deepEqual([Number(f[0]), Number(f[1]), f[3], f[4], f[5]], [last[i]!.type, last[i]!.pid, last[i]!.username, last[i]!.tty, last[i]!.host]);
  });
  assert.match(sh('last', ['-f', path.join(root.dir, 'var/log/wtmp')]), /alice\s+pts\/0\s+203\.0\.113\.9/);
});
