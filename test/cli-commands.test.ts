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

test('-c means --config in every command that has it, and nothing else anywhere', async () => {
  const program = await buildProgram(undefined);
  const shortC: string[] = [];
  const walk = (cmd: Command, name: string): void => {
    for (const option of cmd.options) if (option.short === '-c') shortC.push(`${name}: ${option.long}`);
    for (const sub of cmd.commands) walk(sub, `${name} ${sub.name()}`);
  };
  walk(program, 'spyglass');
  assert.ok(shortC.length > 0);
  assert.deepEqual(shortC.filter((o) => !o.endsWith(': --config')), []);
  // audit filters by control id with the long option only
  const audit = program.commands.find((c) => c.name() === 'audit')!;
  assert.equal(audit.options.find((o) => o.long === '--controls')?.short, undefined);
});
