import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { FIM_FILE_TYPE_NAMES, OSQUERY_FILE_TYPE_NAMES, fileTypeOf } from './file-type.js';

test('fileTypeOf names real files of every kind, and each output keeps its own spelling', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-file-type-'));
  const server = net.createServer();
  try {
    fs.writeFileSync(path.join(dir, 'regular'), 'x');
    fs.mkdirSync(path.join(dir, 'dir'));
    fs.symlinkSync('regular', path.join(dir, 'link'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock'), resolve));
    const typeOf = (name: string) => fileTypeOf(fs.lstatSync(name.startsWith('/') ? name : path.join(dir, name)));
    assert.deepEqual(['regular', 'dir', 'link', 'fifo', 'sock', '/dev/null'].map(typeOf), ['file', 'directory', 'symlink', 'fifo', 'socket', 'char_device']);
    assert.equal(fileTypeOf(fs.statSync(path.join(dir, 'link'))), 'file', 'stat follows the link');
    assert.deepEqual([OSQUERY_FILE_TYPE_NAMES.file, OSQUERY_FILE_TYPE_NAMES.char_device, OSQUERY_FILE_TYPE_NAMES.block_device], ['regular', 'character', 'block']);
    assert.deepEqual([FIM_FILE_TYPE_NAMES.file, FIM_FILE_TYPE_NAMES.char_device, FIM_FILE_TYPE_NAMES.block_device], ['file', 'char', 'block']);
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fileTypeOf uses no outer name, so its source runs on its own', () => {
  const standalone = new Function(`return (${fileTypeOf.toString()})`)() as typeof fileTypeOf;
  assert.equal(standalone(fs.lstatSync('/dev/null')), 'char_device');
});
