/**
 * What sshd knows about the keywords Spyglass evaluates: how each value is normalised (as
 * `sshd -T` prints it), how repeated lines combine, and the built-in default. Defaults and
 * algorithm lists are those of Debian 12's OpenSSH 9.2p1 (`sshd -T` on an empty config,
 * `ssh -Q cipher|mac|kex|key-sig`); another OpenSSH version may differ, which is why a control
 * can pin its own `default`.
 */

export type KeywordKind =
  /** a fixed set of words; `values` maps each accepted word (lower case) to what sshd -T prints */
  | 'enum'
  | 'int'
  /** seconds, written with s/m/h/d/w units (1m30s), printed as seconds */
  | 'time'
  /** a word printed upper-case (LogLevel, SyslogFacility) */
  | 'upper'
  /** the arguments of the first line, joined with a space, as written */
  | 'string'
  /** a comma list of algorithms with +, -, ^ modifiers against the default list */
  | 'algorithms'
  /** every argument of every line, accumulated (AllowUsers, AcceptEnv, Port) */
  | 'accumulate'
  | 'maxstartups';

export interface KeywordSpec {
  kind: KeywordKind;
  /** the sshd -T value when the keyword is not set (undefined: sshd -T prints nothing) */
  default?: string;
  values?: Readonly<Record<string, string>>;
  /** every line overwrites the value (sshd's exception to "first value wins") */
  lastWins?: boolean;
  /** enum: sshd compares the word case-sensitively (PermitTunnel) */
  caseSensitive?: boolean;
  /** string: sshd reads the word "none" in any case as none (Banner NONE prints "none") */
  noneWord?: boolean;
  /** algorithms: every name that can end up in the list (others are dropped silently) */
  all?: readonly string[];
  /** algorithms: every name sshd accepts on the line without error (default: `all`) */
  accepted?: readonly string[];
}

const YES_NO = { yes: 'yes', no: 'no' } as const;
const flag = (def: 'yes' | 'no'): KeywordSpec => ({ kind: 'enum', values: YES_NO, default: def });
const FORWARDING = { yes: 'yes', all: 'yes', no: 'no', local: 'local', remote: 'remote' } as const;

const CIPHERS_ALL = '3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com';
const MACS_ALL = 'hmac-sha1,hmac-sha1-96,hmac-sha2-256,hmac-sha2-512,hmac-md5,hmac-md5-96,umac-64@openssh.com,umac-128@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha1-96-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-md5-etm@openssh.com,hmac-md5-96-etm@openssh.com,umac-64-etm@openssh.com,umac-128-etm@openssh.com';
const KEX_ALL = 'diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha1,diffie-hellman-group-exchange-sha256,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,curve25519-sha256,curve25519-sha256@libssh.org,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com';
const KEYSIG_ALL = 'ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,ssh-dss-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com';
const KEYSIG_DEFAULT = 'ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256';
const algorithms = (def: string, all: string): KeywordSpec => ({ kind: 'algorithms', default: def, all: all.split(',') });

/** Keywords (lower case) Spyglass evaluates exactly as sshd -T reports them. */
export const SSHD_KEYWORDS: Readonly<Record<string, KeywordSpec>> = {
  port: { kind: 'accumulate', default: '22' },
  addressfamily: { kind: 'enum', values: { any: 'any', inet: 'inet', inet6: 'inet6' }, default: 'any' },
  usepam: flag('no'),
  logingracetime: { kind: 'time', default: '120' },
  x11displayoffset: { kind: 'int', default: '10' },
  maxauthtries: { kind: 'int', default: '6' },
  maxsessions: { kind: 'int', default: '10' },
  clientaliveinterval: { kind: 'time', default: '0' },
  clientalivecountmax: { kind: 'int', default: '3' },
  permitrootlogin: {
    kind: 'enum', default: 'without-password',
    values: { yes: 'yes', no: 'no', 'prohibit-password': 'without-password', 'without-password': 'without-password', 'forced-commands-only': 'forced-commands-only' },
  },
  ignorerhosts: flag('yes'),
  ignoreuserknownhosts: flag('no'),
  hostbasedauthentication: flag('no'),
  hostbasedusesnamefrompacketonly: flag('no'),
  pubkeyauthentication: flag('yes'),
  kerberosauthentication: flag('no'),
  gssapiauthentication: flag('no'),
  gssapicleanupcredentials: flag('yes'),
  passwordauthentication: flag('yes'),
  kbdinteractiveauthentication: flag('yes'),
  printmotd: flag('yes'),
  printlastlog: flag('yes'),
  x11forwarding: flag('no'),
  x11uselocalhost: flag('yes'),
  permittty: flag('yes'),
  permituserrc: flag('yes'),
  strictmodes: flag('yes'),
  tcpkeepalive: flag('yes'),
  permitemptypasswords: flag('no'),
  compression: { kind: 'enum', values: { yes: 'yes', delayed: 'yes', no: 'no' }, default: 'yes' },
  gatewayports: { kind: 'enum', values: { yes: 'yes', no: 'no', clientspecified: 'clientspecified' }, default: 'no' },
  usedns: flag('no'),
  allowtcpforwarding: { kind: 'enum', values: FORWARDING, default: 'yes' },
  allowagentforwarding: flag('yes'),
  disableforwarding: flag('no'),
  allowstreamlocalforwarding: { kind: 'enum', values: FORWARDING, default: 'yes' },
  exposeauthinfo: flag('no'),
  permittunnel: { kind: 'enum', values: { yes: 'yes', no: 'no', 'point-to-point': 'point-to-point', ethernet: 'ethernet' }, default: 'no', caseSensitive: true },
  permituserenvironment: { kind: 'string', default: 'no' },
  fingerprinthash: { kind: 'upper', default: 'SHA256', lastWins: true },
  loglevel: {
    kind: 'enum', default: 'INFO',
    values: { quiet: 'SILENT', silent: 'SILENT', fatal: 'FATAL', error: 'ERROR', info: 'INFO', verbose: 'VERBOSE', debug: 'DEBUG', debug1: 'DEBUG', debug2: 'DEBUG2', debug3: 'DEBUG3' },
  },
  syslogfacility: {
    kind: 'enum', default: 'AUTH',
    values: Object.fromEntries(['daemon', 'user', 'auth', 'authpriv', ...Array.from({ length: 8 }, (_, i) => `local${i}`)].map((f) => [f, f.toUpperCase()])),
  },
  banner: { kind: 'string', default: 'none', noneWord: true },
  forcecommand: { kind: 'string', default: 'none', noneWord: true },
  chrootdirectory: { kind: 'string', default: 'none', noneWord: true },
  authorizedkeysfile: { kind: 'string', default: '.ssh/authorized_keys .ssh/authorized_keys2' },
  authenticationmethods: { kind: 'string', default: 'any' },
  maxstartups: { kind: 'maxstartups', default: '10:30:100' },
  ciphers: algorithms('chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com', CIPHERS_ALL),
  macs: algorithms('umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1', MACS_ALL),
  kexalgorithms: algorithms('sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256', KEX_ALL),
  hostkeyalgorithms: algorithms(KEYSIG_DEFAULT, KEYSIG_ALL),
  pubkeyacceptedalgorithms: algorithms(KEYSIG_DEFAULT, KEYSIG_ALL),
  hostbasedacceptedalgorithms: algorithms(KEYSIG_DEFAULT, KEYSIG_ALL),
  // CA signatures are plain key types: certificate types are accepted on the line but dropped
  casignaturealgorithms: {
    ...algorithms('ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256',
      KEYSIG_ALL.split(',').filter((a) => !a.includes('-cert-')).join(',')),
    accepted: KEYSIG_ALL.split(','),
  },
  allowusers: { kind: 'accumulate' },
  allowgroups: { kind: 'accumulate' },
  denyusers: { kind: 'accumulate' },
  denygroups: { kind: 'accumulate' },
  acceptenv: { kind: 'accumulate' },
};

/** Old names sshd still accepts, to the keyword sshd -T prints. */
export const SSHD_ALIASES: Readonly<Record<string, string>> = {
  challengeresponseauthentication: 'kbdinteractiveauthentication',
  pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
  hostbasedacceptedkeytypes: 'hostbasedacceptedalgorithms',
};

export function canonicalKeyword(keyword: string): string {
  const k = keyword.toLowerCase();
  return SSHD_ALIASES[k] ?? k;
}

/** Keywords sshd accepts after a `Match` line (sshd_config(5), OpenSSH 9.2 as shipped in Debian 12). */
export const SSHD_MATCH_KEYWORDS: ReadonlySet<string> = new Set([
  'acceptenv', 'allowagentforwarding', 'allowgroups', 'allowstreamlocalforwarding', 'allowtcpforwarding', 'allowusers',
  'authenticationmethods', 'authorizedkeyscommand', 'authorizedkeyscommanduser', 'authorizedkeysfile',
  'authorizedprincipalscommand', 'authorizedprincipalscommanduser', 'authorizedprincipalsfile', 'banner',
  'casignaturealgorithms', 'channeltimeout', 'chrootdirectory', 'clientalivecountmax', 'clientaliveinterval', 'denygroups',
  'denyusers', 'disableforwarding', 'exposeauthinfo', 'forcecommand', 'gatewayports', 'gssapiauthentication',
  'hostbasedacceptedalgorithms', 'hostbasedauthentication', 'hostbasedusesnamefrompacketonly', 'ignorerhosts', 'include',
  'ipqos', 'kbdinteractiveauthentication', 'kerberosauthentication', 'loglevel', 'maxauthtries', 'maxsessions',
  'passwordauthentication', 'permitemptypasswords', 'permitlisten', 'permitopen', 'permitrootlogin', 'permittty',
  'permittunnel', 'permituserrc', 'pubkeyacceptedalgorithms', 'pubkeyauthentication', 'pubkeyauthoptions', 'rekeylimit',
  'revokedkeys', 'setenv', 'streamlocalbindmask', 'streamlocalbindunlink', 'trustedusercakeys', 'unusedconnectiontimeout',
  'x11displayoffset', 'x11forwarding', 'x11uselocalhost',
]);

/** Every keyword sshd_config(5) documents (Debian 12), spelt as the manual spells them, plus accepted old names. */
export const SSHD_DOCUMENTED_KEYWORDS: readonly string[] = (
  'AcceptEnv AddressFamily AllowAgentForwarding AllowGroups AllowStreamLocalForwarding AllowTcpForwarding AllowUsers ' +
  'AuthenticationMethods AuthorizedKeysCommand AuthorizedKeysCommandUser AuthorizedKeysFile AuthorizedPrincipalsCommand ' +
  'AuthorizedPrincipalsCommandUser AuthorizedPrincipalsFile Banner CASignatureAlgorithms ChannelTimeout ChrootDirectory Ciphers ' +
  'ClientAliveCountMax ClientAliveInterval Compression DebianBanner DenyGroups DenyUsers DisableForwarding ExposeAuthInfo ' +
  'FingerprintHash ForceCommand GSSAPIAuthentication GSSAPICleanupCredentials GSSAPIKexAlgorithms GSSAPIKeyExchange ' +
  'GSSAPIStoreCredentialsOnRekey GSSAPIStrictAcceptorCheck GatewayPorts HostCertificate HostKey HostKeyAgent HostKeyAlgorithms ' +
  'HostbasedAcceptedAlgorithms HostbasedAuthentication HostbasedUsesNameFromPacketOnly IgnoreRhosts IgnoreUserKnownHosts Include ' +
  'IPQoS KbdInteractiveAuthentication KerberosAuthentication KerberosGetAFSToken KerberosOrLocalPasswd KerberosTicketCleanup ' +
  'KexAlgorithms ListenAddress LogLevel LogVerbose LoginGraceTime MACs Match MaxAuthTries MaxSessions MaxStartups ModuliFile ' +
  'PasswordAuthentication PerSourceMaxStartups PerSourceNetBlockSize PermitEmptyPasswords PermitListen PermitOpen PermitRootLogin ' +
  'PermitTTY PermitTunnel PermitUserEnvironment PermitUserRC PidFile Port PrintLastLog PrintMotd PubkeyAcceptedAlgorithms ' +
  'PubkeyAuthOptions PubkeyAuthentication RekeyLimit RequiredRSASize RevokedKeys SecurityKeyProvider SetEnv StreamLocalBindMask ' +
  'StreamLocalBindUnlink StrictModes Subsystem SyslogFacility TCPKeepAlive TrustedUserCAKeys UnusedConnectionTimeout UseDNS UsePAM ' +
  'VersionAddendum X11DisplayOffset X11Forwarding X11UseLocalhost XAuthLocation ' +
  'ChallengeResponseAuthentication PubkeyAcceptedKeyTypes HostbasedAcceptedKeyTypes'
).split(' ');
