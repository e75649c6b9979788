import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFimConfig, FimConfigErrors } from './config.js';
import { WatchScope } from './path-filter.js';

test('defaults: sha256, every change reported, diffs off, sizes with units', () => {
  const c = parseFimConfig('watch:\n  - path: /etc/\n    category: config\n  - path: /usr/bin\n    recursive: false\nmax_hash_size: 100M\ndiff: {enabled: true, max_size: 8K}\n', 'fim.yaml');
  assert.deepEqual(c.hashes, ['sha256']);
  assert.deepEqual(c.report, ['created', 'modified', 'deleted', 'moved', 'attributes']);
  assert.equal(c.max_hash_size, 100 * 1024 * 1024);
  assert.equal(c.diff.max_size, 8192);
  assert.ok(c.diff.never.includes('/etc/shadow'));
  assert.equal(c.watch[0]!.path, '/etc');
  assert.equal(c.scan_rate, 0);
  assert.equal(parseFimConfig('watch: [{path: /etc}]', 'f').diff.enabled, false);
});

test('every problem is reported with file:line:column', () => {
  const text = 'watch:\n  - path: relative/path\n  - path: /etc\n    recursive: false\n    depth: 3\nhashes: [sha256, crc32]\nexclude_regex: ["(unclosed"]\nbogus: 1\n';
  assert.throws(() => parseFimConfig(text, '/etc/spyglass/fim.yaml'), (err: unknown) => {
    assert.ok(err instanceof FimConfigErrors);
    const msg = err.message;
    assert.match(msg, /fim\.yaml:2:\d+: watch\.0\.path/);
    assert.match(msg, /fim\.yaml:6:\d+: hashes\.1/);
    assert.match(msg, /fim\.yaml:7:\d+: exclude_regex\.0: not a valid regular expression/);
    assert.match(msg, /bogus/);
    return true;
  });
  assert.throws(() => parseFimConfig('watch:\n  - path: /etc\n    recursive: false\n    depth: 3\n', 'f.yaml'), /f\.yaml:4:\d+: watch\.0\.depth: a depth needs recursive: true/);
  assert.throws(() => parseFimConfig('watch: [\n', 'bad.yaml'), (err: unknown) => err instanceof FimConfigErrors && /bad\.yaml/.test(err.message));
});

test('scopes: depth, recursion, glob and regex excludes', () => {
  const c = parseFimConfig('watch:\n  - path: /srv\n    depth: 1\n    exclude: ["**/*.swp"]\n  - path: /opt\n    recursive: false\nexclude_regex: ["\\\\.cache/"]\n', 'f');
  const srv = new WatchScope(c.watch[0]!, c);
  const opt = new WatchScope(c.watch[1]!, c);
  assert.ok(srv.covers('/srv') && srv.covers('/srv/a') && srv.covers('/srv/a/b'));
  assert.ok(!srv.covers('/srv/a/b/c'), 'depth 1: one level of subdirectories');
  assert.ok(srv.descendsInto('/srv/a') && !srv.descendsInto('/srv/a/b'));
  assert.ok(!srv.covers('/srv/a/x.swp'));
  assert.ok(!srv.covers('/srv/.cache/x'));
  assert.ok(!srv.covers('/srvx'));
  assert.ok(opt.covers('/opt/file') && !opt.covers('/opt/d/file') && !opt.descendsInto('/opt/d'));
});
