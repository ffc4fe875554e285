import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { OrcError } from '../common/errors.js';
import { BEGIN_MARK, END_MARK, renderReference, replaceGenerated } from './docs.js';
import { allOptions } from './schema.js';

const docsFile = new URL('../../docs/configuration.md', import.meta.url);

void test('docs: docs/configuration.md has the current option reference', async () => {
  const markdown = await readFile(docsFile, 'utf8');
  assert.equal(
    replaceGenerated(markdown, renderReference()),
    markdown,
    'docs/configuration.md is out of date: run npx tsx scripts/gen-config-docs.ts',
  );
});

void test('docs: the reference lists every option and every orchestrator key', () => {
  const reference = renderReference();
  for (const o of allOptions) {
    assert.ok(reference.includes(`| \`${o.path}\` |`), o.path);
    for (const k of o.spec.orchestrator) assert.ok(reference.includes(`\`${k.key}\``), k.key);
  }
});

void test('docs: replacing the generated part keeps the hand-written text', () => {
  const md = `intro\n${BEGIN_MARK}\nold\n${END_MARK}\noutro\n`;
  assert.equal(
    replaceGenerated(md, 'new\n'),
    `intro\n${BEGIN_MARK}\n\nnew\n\n${END_MARK}\noutro\n`,
  );
  assert.throws(() => replaceGenerated('no markers', 'x'), OrcError);
});
