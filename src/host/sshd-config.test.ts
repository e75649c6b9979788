/**
 * The sshd_config parser against the real `sshd -T` (Debian's openssh-server): for a handful
 * of configurations, with and without Match connection criteria, every keyword Spyglass
 * covers must have exactly the value sshd reports.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostRoot } from '../core/host-root.js';
import { SpyglassError } from '../core/errors.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';
import { loadSshdConfig, sshdEffectiveValue, splitSshdLine, sshdSeconds, assembleAlgorithms, type SshdConnection } from './sshd-config.js';
import { SSHD_ALIASES, SSHD_DOCUMENTED_KEYWORDS, SSHD_KEYWORDS, SSHD_MATCH_KEYWORDS } from './sshd-keywords.js';
import { matchAddressList, matchPatternList } from './sshd-match.js';
import { seededRandom } from './packages/version-pool.test-helpers.js';

const SSHD = '/usr/sbin/sshd';
let dir = '';
let hostKey = '';

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-sshd-'));
  hostKey = path.join(dir, 'hostkey');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  mkdirSync('/run/sshd', { recursive: true }); // sshd -T insists on its privilege-separation directory
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** sshd -T output as keyword → value; repeated keywords (allowusers, port…) joined with a space. */
function sshdT(configFile: string, connection?: SshdConnection): Map<string, string> {
  const args = ['-T', '-f', configFile, '-h', hostKey];
  if (connection) {
    const c = Object.entries(connection).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(',');
    args.push('-C', c);
  }
  const out = execFileSync(SSHD, args, { encoding: 'utf8' });
  const map = new Map<string, string>();
  for (const line of out.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const k = line.slice(0, sp).toLowerCase();
    const v = line.slice(sp + 1);
    map.set(k, map.has(k) ? `${map.get(k)} ${v}` : v);
  }
  return map;
}

interface Scenario {
  name: string;
  /** files relative to the scenario dir; "%D" in content is replaced by the scenario dir */
  files: Record<string, string>;
  connections: SshdConnection[];
}

const SCENARIOS: Scenario[] = [
  { name: 'empty config: built-in defaults', files: { sshd_config: '' }, connections: [] },
  {
    name: 'Debian layout: Include of drop-ins at the top, first value wins',
    files: {
      sshd_config: [
        'Include %D/sshd_config.d/*.conf', 'KbdInteractiveAuthentication no', 'UsePAM yes', 'X11Forwarding yes',
        'PrintMotd no', 'AcceptEnv LANG LC_*', 'Subsystem sftp /usr/lib/openssh/sftp-server', 'PermitRootLogin yes', 'MaxAuthTries 6',
      ].join('\n') + '\n',
      'sshd_config.d/50-hardening.conf': 'PermitRootLogin no\nMaxAuthTries 4\nX11Forwarding no\nLogLevel VERBOSE\nBanner /etc/issue.net\n',
      'sshd_config.d/40-first.conf': 'maxauthtries 3\nClientAliveInterval 5m\nClientAliveCountMax 0\nLoginGraceTime 1m\n',
      'sshd_config.d/README': 'PermitRootLogin yes\n',
    },
    connections: [],
  },
  {
    name: 'syntax: = separators, quotes, comments, case, aliases, multi-word values',
    files: {
      sshd_config: [
        '# comment', '  PASSWORDAUTHENTICATION=No', 'x11forwarding "yes"', 'MaxAuthTries 4 # trailing comment',
        'ChallengeResponseAuthentication no', 'PermitRootLogin prohibit-password', 'AllowTcpForwarding all',
        'Compression delayed', 'AuthorizedKeysFile .ssh/authorized_keys "/etc/ssh/keys/%u"', 'syslogfacility local0',
        'LogLevel debug2', 'MaxStartups 10:30:60', 'PermitUserEnvironment no', 'AddressFamily inet', 'PermitTunnel point-to-point',
        'GatewayPorts clientspecified', 'Banner none', 'IgnoreRhosts yes', 'HostbasedAuthentication no', 'PermitEmptyPasswords no',
        'LoginGraceTime 1h2m3s', 'PasswordAuthentication yes',
      ].join('\n') + '\n',
    },
    connections: [],
  },
  {
    name: 'algorithm lists with +, - and ^ modifiers',
    files: {
      sshd_config: 'Ciphers -*cbc,chacha20*\nMACs +hmac-sha1-96,hmac-sha2-512\nKexAlgorithms ^diffie-hellman-group14-sha1,curve25519-sha256\n' +
        'HostKeyAlgorithms ssh-ed25519,rsa-sha2-512\nPubkeyAcceptedKeyTypes +ssh-rsa\nCASignatureAlgorithms -ecdsa*\nCiphers aes128-ctr\n',
    },
    connections: [],
  },
  {
    name: 'accumulating keywords across files',
    files: {
      sshd_config: 'AllowUsers alice bob@10.0.0.0/8\nInclude %D/more.conf\nAllowUsers carol\nDenyGroups wheel\nPort 2222\nPort 22\nAcceptEnv LANG\n',
      'more.conf': 'AllowUsers dave\nDenyUsers mallory\nAllowGroups ssh-users admins\nAcceptEnv LC_*\n',
    },
    connections: [],
  },
  {
    name: 'Match blocks kept apart, Match All, Include inside Match, Match in drop-ins',
    files: {
      sshd_config: [
        'PasswordAuthentication yes', 'Include %D/conf.d/*.conf', 'PermitRootLogin no',
        'Match User alice', '  X11Forwarding yes', '  Include %D/inner/*.conf', '  PasswordAuthentication no',
        'Match Address 10.0.0.0/8,!10.1.0.0/16', '  MaxAuthTries 2', '  AllowTcpForwarding no',
        'Match Host *.example.com Address 10.0.0.0/8', '  Banner /etc/issue.example',
        'Match User b*,!bob', '  PermitRootLogin yes', '  MaxSessions 2',
        'Match All', '  ClientAliveInterval 300',
      ].join('\n') + '\n',
      'conf.d/10-bob.conf': 'Match User bob\n  PasswordAuthentication no\n  MaxSessions 4\n',
      'conf.d/20-global.conf': 'MaxStartups 5\n',
      'inner/a.conf': 'AllowAgentForwarding no\nMatch LocalAddress 192.168.0.0/16\n  PermitTTY no\nMatch All\n  GatewayPorts yes\n',
    },
    connections: [
      { user: 'alice', host: 'a.example.com', addr: '10.2.3.4', laddr: '192.168.1.1', lport: 22 },
      { user: 'alice', host: 'x.org', addr: '192.0.2.1', laddr: '10.0.0.1', lport: 2222 },
      { user: 'bob', host: 'b.example.com', addr: '10.1.2.3', laddr: '192.168.1.1', lport: 2222 },
      { user: 'bert', host: 'h', addr: '10.9.9.9', laddr: '192.168.1.1', lport: 22 },
      { user: 'carl', host: 'h', addr: '2001:db8::1', laddr: '::1', lport: 22 },
    ],
  },
];

for (const sc of SCENARIOS) {
  test(`sshd parser equals sshd -T: ${sc.name}`, async () => {
    const scDir = mkdtempSync(path.join(dir, 'sc-'));
    for (const [rel, content] of Object.entries(sc.files)) {
      const p = path.join(scDir, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content.replaceAll('%D', scDir));
    }
    const main = path.join(scDir, 'sshd_config');
    assert.ok(existsSync(main));
    // the live root reads the temp files where sshd reads them
    const config = await loadSshdConfig(new HostRoot('/'), main);
    assert.ok(config);
    let compared = 0;
    for (const connection of [undefined, ...sc.connections]) {
      const real = sshdT(main, connection);
      assert.ok(real.size > 50, 'sshd -T printed its configuration');
      for (const keyword of Object.keys(SSHD_KEYWORDS)) {
        const ours = sshdEffectiveValue(config, keyword, connection);
        assert.equal(ours.value, real.get(keyword), `${keyword} for ${JSON.stringify(connection ?? 'no connection')}`);
        compared++;
      }
    }
    assert.equal(compared, Object.keys(SSHD_KEYWORDS).length * (1 + sc.connections.length));
  });
}

test('sshd parser equals sshd -T on this machine\'s own /etc/ssh/sshd_config', { skip: existsSync('/etc/ssh/sshd_config') ? false : 'openssh-server is not configured on this machine' }, async () => {
  const config = (await loadSshdConfig(new HostRoot('/'), '/etc/ssh/sshd_config'))!;
  // the machine's own host keys may be missing in a fresh container: pass ours, which only adds "hostkey" lines
  const real = sshdT('/etc/ssh/sshd_config');
  for (const keyword of Object.keys(SSHD_KEYWORDS)) assert.equal(sshdEffectiveValue(config, keyword).value, real.get(keyword), keyword);
});

test('config check with match (Match Group through the root\'s /etc/group) equals sshd -T -C on this machine', async () => {
  const { configCheck } = await import('../audit/checks/config/index.js');
  const { testCheckContext } = await import('../audit/checks/common/conformance.test-helpers.js');
  const file = path.join(dir, 'group-match.conf');
  writeFileSync(file, 'MaxSessions 9\nMatch Group root\n  MaxSessions 7\n  X11Forwarding yes\nMatch Group nogroup,!root\n  MaxSessions 5\n');
  const ctx = testCheckContext(new HostRoot('/'));
  for (const user of ['root', 'nobody']) {
    const connection = { user, host: 'h.example.com', addr: '192.0.2.1' };
    const real = sshdT(file, connection);
    for (const key of ['MaxSessions', 'X11Forwarding']) {
      const spec = configCheck.schema.parse({ format: 'sshd', path: file, key, match: connection, value: real.get(key.toLowerCase()) });
      const r = await configCheck.evaluate(spec, ctx);
      assert.equal(r.status, 'pass', `${user} ${key}: ${r.summary} (sshd -T says ${real.get(key.toLowerCase())})`);
    }
  }
});

test('sshd parser: relative Include is under /etc/ssh of the root; errors carry file:line', async () => {
  const fx = await buildFixtureRoot({
    '/etc/ssh/sshd_config': 'Include sshd_config.d/*.conf\nPermitRootLogin yes\nMaxAuthTries lots\n',
    '/etc/ssh/sshd_config.d/10-root.conf': 'PermitRootLogin no\n',
  });
  try {
    const config = await loadSshdConfig(new HostRoot(fx.dir), '/etc/ssh/sshd_config');
    const v = sshdEffectiveValue(config!, 'permitrootlogin');
    assert.equal(v.value, 'no');
    assert.deepEqual([v.from[0]!.file, v.from[0]!.line], ['/etc/ssh/sshd_config.d/10-root.conf', 1]);
    assert.throws(() => sshdEffectiveValue(config!, 'MaxAuthTries'), (e: unknown) =>
      e instanceof SpyglassError && e.context.file === '/etc/ssh/sshd_config' && e.context.line === 3 && /not a number/.test(e.message));
    assert.equal(await loadSshdConfig(new HostRoot(fx.dir), '/etc/ssh/nope'), undefined);
  } finally {
    await fx.cleanup();
  }
});

test('sshd parser: lines sshd refuses are errors with file:line', async () => {
  const fx = await buildFixtureRoot({
    '/etc/ssh/a': 'PermitTunnel YES\n',
    '/etc/ssh/b': 'Match User x\n  UsePAM yes\n',
    '/etc/ssh/c': 'Ciphers aes128-ctr,rot13\n',
  });
  try {
    const root = new HostRoot(fx.dir);
    const a = (await loadSshdConfig(root, '/etc/ssh/a'))!;
    assert.throws(() => sshdEffectiveValue(a, 'permittunnel'), /\/etc\/ssh\/a:1: PermitTunnel: unsupported value "YES"/);
    const b = (await loadSshdConfig(root, '/etc/ssh/b'))!;
    assert.throws(() => sshdEffectiveValue(b, 'x11forwarding'), /\/etc\/ssh\/b:2: Directive 'UsePAM' is not allowed within a Match block/);
    const c = (await loadSshdConfig(root, '/etc/ssh/c'))!;
    assert.throws(() => sshdEffectiveValue(c, 'ciphers'), /\/etc\/ssh\/c:1: unsupported algorithm rot13/);
  } finally {
    await fx.cleanup();
  }
});

test('sshd keyword tables agree with each other', () => {
  const documented = new Set(SSHD_DOCUMENTED_KEYWORDS.map((k) => k.toLowerCase()));
  for (const k of [...Object.keys(SSHD_KEYWORDS), ...Object.keys(SSHD_ALIASES), ...SSHD_MATCH_KEYWORDS]) assert.ok(documented.has(k), k);
});

test('sshd parser: helpers', () => {
  assert.deepEqual(splitSshdLine('a "b c" \'d\' e\\ f # g', 'f', 1), ['a', 'b c', 'd', 'e f']);
  assert.throws(() => splitSshdLine('"open', 'f', 7), /f:7: unterminated quote/);
  assert.equal(sshdSeconds('1m30s'), 90);
  assert.equal(sshdSeconds('2H'), 7200);
  assert.equal(sshdSeconds('5x'), undefined);
  assert.deepEqual(assembleAlgorithms('-b*', ['a', 'b1', 'b2', 'c'], ['a', 'b1', 'b2', 'c'], { file: 'f', line: 1 }), ['a', 'c']);
  assert.throws(() => assembleAlgorithms('+nope', ['a'], ['a'], { file: 'f', line: 2 }), /f:2: unsupported algorithm nope/);
  assert.equal(matchPatternList('bert', 'b*,!bob'), true);
  assert.equal(matchPatternList('bob', 'b*,!bob'), false);
  assert.equal(matchAddressList('10.2.3.4', '10.0.0.0/8,!10.1.0.0/16'), true);
  assert.equal(matchAddressList('10.1.3.4', '10.0.0.0/8,!10.1.0.0/16'), false);
  assert.equal(matchAddressList('2001:db8::1', '2001:db8::/32'), true);
  assert.equal(matchAddressList('2001:db9::1', '2001:db8::/32'), false);
});

const GENERATED_VALUES: Record<string, string[]> = {
  logingracetime: ['30', '1m', '2m30s', '1h', '0', '45S'],
  clientaliveinterval: ['0', '15', '5m', '1h30m'],
  loglevel: ['quiet', 'FATAL', 'error', 'info', 'Verbose', 'debug', 'debug3'],
  syslogfacility: ['daemon', 'AUTH', 'authpriv', 'local0', 'Local7'],
  fingerprinthash: ['md5', 'sha256'],
  banner: ['none', '/etc/issue.net', '"/etc/my banner"'],
  forcecommand: ['internal-sftp', 'none', '/bin/echo hi'],
  chrootdirectory: ['none', '/srv/%u'],
  authorizedkeysfile: ['.ssh/authorized_keys', '.ssh/a .ssh/b', 'none'],
  permituserenvironment: ['no', 'yes', 'LANG,LC_*'],
  maxstartups: ['10', '10:30:60', '3:50:10'],
  allowusers: ['alice', 'bob carol', 'dave@10.0.0.0/8'],
  allowgroups: ['admins', 'ssh-users wheel'],
  denyusers: ['mallory', 'eve trudy'],
  denygroups: ['nossh'],
  acceptenv: ['LANG', 'LC_* XMODIFIERS'],
  port: ['22', '2222', '443'],
};

function generatedValue(keyword: string, rnd: () => number): string | undefined {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const spec = SSHD_KEYWORDS[keyword]!;
  if (GENERATED_VALUES[keyword]) return pick(GENERATED_VALUES[keyword]!);
  switch (spec.kind) {
    case 'enum': { const w = pick(Object.keys(spec.values!)); return rnd() < 0.3 && !spec.caseSensitive ? w.toUpperCase() : w; }
    case 'int': return String(Math.floor(rnd() * 12) + 1);
    case 'algorithms': {
      const all = spec.all!;
      const some = all.filter(() => rnd() < 0.25);
      const names = some.length ? some : [all[0]!];
      const mod = pick(['', '+', '-', '^']);
      if (mod === '-') return '-' + (rnd() < 0.5 ? names.join(',') : `${names[0]!.slice(0, 6)}*`);
      return mod + names.join(',');
    }
    default: return undefined;
  }
}

test('sshd parser equals sshd -T on 25 generated configurations (seeded)', async () => {
  const rnd = seededRandom(Number(process.env.SSHD_SEED ?? 20261123)); // the same configurations on every run
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const keywords = Object.keys(SSHD_KEYWORDS).filter((k) => k !== 'authenticationmethods'); // needs methods that are enabled
  const matchKeywords = keywords.filter((k) => SSHD_MATCH_KEYWORDS.has(k));
  const line = (k: string) => {
    const v = generatedValue(k, rnd);
    if (v === undefined) return undefined;
    const written = rnd() < 0.3 ? k.toUpperCase() : k;
    return rnd() < 0.2 ? `${written}=${v}` : `${written} ${v}`;
  };
  const block = (pool: string[], n: number) => Array.from({ length: n }, () => line(pick(pool))).filter(Boolean).join('\n');
  const matchLine = () => pick(['Match User alice', 'Match User b*,!bob', 'Match Address 10.0.0.0/8', 'Match Host *.example.com', 'Match All', 'Match User carol Address 192.0.2.0/24']);
  const connections: SshdConnection[] = [
    { user: 'alice', host: 'a.example.com', addr: '10.1.2.3' },
    { user: 'bert', host: 'h.example.org', addr: '192.0.2.7' },
    { user: 'carol', host: 'c.example.com', addr: '192.0.2.9' },
  ];
  for (let n = 0; n < Number(process.env.SSHD_CONFIGS ?? 25); n++) {
    const scDir = mkdtempSync(path.join(dir, 'gen-'));
    mkdirSync(path.join(scDir, 'd'));
    const dropins = Math.floor(rnd() * 3);
    let dropinText = '';
    for (let i = 0; i < dropins; i++) {
      let text = block(keywords, 2 + Math.floor(rnd() * 4)) + '\n';
      if (rnd() < 0.4) text += `${matchLine()}\n${block(matchKeywords, 2)}\n`;
      writeFileSync(path.join(scDir, 'd', `${10 + i}-gen.conf`), text);
      dropinText += `--- d/${10 + i}-gen.conf\n${text}`;
    }
    let main = `${block(keywords, Math.floor(rnd() * 4))}\nInclude ${scDir}/d/*.conf\n${block(keywords, 3 + Math.floor(rnd() * 6))}\n`;
    for (let m = Math.floor(rnd() * 3); m > 0; m--) main += `${matchLine()}\n${block(matchKeywords, 1 + Math.floor(rnd() * 4))}\n`;
    if (rnd() < 0.4) {
      // an Include inside a Match block, whose files may open Match blocks of their own
      mkdirSync(path.join(scDir, 'inner'));
      let inner = block(matchKeywords, 1 + Math.floor(rnd() * 3)) + '\n';
      if (rnd() < 0.6) inner += `${matchLine()}\n${block(matchKeywords, 2)}\n`;
      writeFileSync(path.join(scDir, 'inner', 'a.conf'), inner);
      dropinText += `--- inner/a.conf\n${inner}`;
      main += `${matchLine()}\n  Include ${scDir}/inner/*.conf\n${block(matchKeywords, 1)}\n`;
    }
    const file = path.join(scDir, 'sshd_config');
    writeFileSync(file, main);
    const config = (await loadSshdConfig(new HostRoot('/'), file))!;
    for (const connection of [undefined, ...connections]) {
      let real: Map<string, string>;
      try {
        real = sshdT(file, connection);
      } catch (err) {
        assert.fail(`sshd -T rejected generated config ${n}:\n${main}\n${(err as { stderr?: string }).stderr ?? err}`);
      }
      for (const keyword of keywords) {
        assert.equal(sshdEffectiveValue(config, keyword, connection).value, real.get(keyword),
          `${keyword} for ${JSON.stringify(connection ?? 'no connection')} in generated config ${n}:\n${main}${dropinText}`);
      }
    }
  }
});
