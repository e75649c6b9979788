import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gitRefProblem, gitUrlProblem, subdirProblem } from './source-input.js';

test('git urls: the documented transports pass, options and remote helpers are refused', () => {
  for (const ok of ['https://git.example.com/p.git', 'ssh://git@host/p.git', 'git://127.0.0.1:9418/p.git', 'file:///srv/p.git', '/srv/p.git', 'git@host:team/p.git']) {
    assert.equal(gitUrlProblem(ok), undefined, ok);
  }
  for (const bad of ['--upload-pack=touch /tmp/x', '-u', 'ext::sh -c touch% /tmp/x', 'fd::3', 'http://plain.example/p.git', 'ftp://h/p', 'ssh://-oProxyCommand=touch/p', '-oProxyCommand=x:p', 'relative/path', '', 'https://h/p\n']) {
    assert.ok(gitUrlProblem(bad), `refused: ${JSON.stringify(bad)}`);
  }
});

test('git refs: names check-ref-format accepts and commit ids pass; options and revision syntax are refused', () => {
  for (const ok of ['main', 'release/1.2', 'v1.0.0', 'HEAD', 'a'.repeat(40), 'f'.repeat(64), 'feature-x']) assert.equal(gitRefProblem(ok), undefined, ok);
  for (const bad of ['--upload-pack=touch /tmp/x;#', '-main', 'main^{tree}', 'a..b', 'main~1', 'x:y', 'a b', '.hidden', 'x.lock', 'a//b', '/a', 'a/', 'a.', '@', 'a@{1}', 'x?', 'x*', 'x[', 'x\\y', '', 'x'.repeat(256)]) {
    assert.ok(gitRefProblem(bad), `refused: ${JSON.stringify(bad)}`);
  }
});

test('subdirs stay inside the checkout', () => {
  for (const ok of ['profiles', 'a/b', 'a/./b', 'x..y']) assert.equal(subdirProblem(ok), undefined, ok);
  for (const bad of ['../etc', 'a/../../b', '..', '/etc', '', 'a\0b']) assert.ok(subdirProblem(bad), `refused: ${JSON.stringify(bad)}`);
});
