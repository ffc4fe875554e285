#!/usr/bin/env node
// Entry point of the `orc` command. In a checkout it runs the TypeScript sources through tsx;
// ORC_USE_DIST=1 runs the bundled build (dist/orc.mjs, made by `npm run build`) instead.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'orc.mjs');

if (process.env.ORC_USE_DIST === '1') {
  if (!existsSync(dist)) {
    console.error(`orc: ORC_USE_DIST=1 but ${dist} does not exist: run \`npm run build\` first`);
    process.exit(2);
  }
  await import(pathToFileURL(dist).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
