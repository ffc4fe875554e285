// Regenerates the option reference in docs/configuration.md from the schema in src/config/.
// Usage: npx tsx scripts/gen-config-docs.ts [--check]
// --check exits 1 without writing when the file is out of date (src/config/docs.test.ts does
// the same check in the unit tests).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReference, replaceGenerated } from '../src/config/docs.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'configuration.md');
const before = readFileSync(file, 'utf8');
const after = replaceGenerated(before, renderReference());

if (process.argv.includes('--check')) {
  if (before !== after) {
    console.error('docs/configuration.md is out of date: run npx tsx scripts/gen-config-docs.ts');
    process.exitCode = 1;
  }
} else if (before !== after) {
  writeFileSync(file, after);
  console.log('docs/configuration.md updated');
} else {
  console.log('docs/configuration.md already up to date');
}
