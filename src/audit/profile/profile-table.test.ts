/** The README's profiles table is what the profiles give (regenerate: npm run docs). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, TABLE_BEGIN, TABLE_END, profileTableMarkdown, withProfileTable } from './profile-table.js';

test('the README profiles table matches the shipped profiles (regenerate: npm run docs)', async () => {
  const readme = readFileSync(README(), 'utf8');
  const table = await profileTableMarkdown();
  assert.equal(readme, withProfileTable(readme, table));
  assert.match(table, /\| `cis-debian-12` \| \d+ \(\d+ automated, \d+ manual\) \|/);
});

test('the table markers are required', () => {
  assert.throws(() => withProfileTable('# no table here\n', 'x'), /no profiles table markers/);
  assert.equal(withProfileTable(`a\n${TABLE_BEGIN}\nold\n${TABLE_END}\nb`, 'new'), 'a\nnew\nb');
});
