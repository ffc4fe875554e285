#!/usr/bin/env node
// Bundles the CLI into dist/orc.mjs (used by bin/orc.js when ORC_USE_DIST=1).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/orc.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'info',
});
