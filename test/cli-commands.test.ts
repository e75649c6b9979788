/** The CLI loads only the module of the command being run: the routing table must match what modules register. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { COMMANDS, buildProgram } from '../src/cli/main.js';

test('each command module registers exactly the top-level names it is listed under', async () => {
  for (const entry of COMMANDS) {
    const program = new Command('spyglass');
    (await entry.load()).register(program);
    assert.deepEqual(program.commands.map((c) => c.name()).sort(), [...entry.names].sort());
  }
});

test('a known command builds only its own module; help builds them all', async () => {
  assert.deepEqual((await buildProgram('query')).commands.map((c) => c.name()), ['query']);
  const all = (await buildProgram(undefined)).commands.map((c) => c.name()).sort();
  assert.deepEqual(all, [...new Set(COMMANDS.flatMap((c) => c.names))].sort());
});
