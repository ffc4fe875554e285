#!/usr/bin/env node
// Runs orc's tests with node's own runner (through tsx) under c8, and fails when no test ran.
// Usage: node scripts/run-tests.mjs [--tier unit|integration|cluster|all] [--no-coverage] [files…]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
let tier = 'all';
let coverage = true;
const explicit = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--tier') tier = args[++i];
  else if (args[i] === '--no-coverage') coverage = false;
  else explicit.push(args[i]);
}

const roots = {
  unit: ['src'],
  integration: ['test/integration'],
  cluster: ['test/cluster'],
  all: ['src', 'test/integration', 'test/cluster', 'test/scenarios'],
}[tier];
if (!roots) {
  console.error(`unknown tier "${tier}": use unit, integration, cluster or all`);
  process.exit(2);
}

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(process.cwd(), path));
  }
  return out;
}

const files = explicit.length > 0 ? explicit : roots.flatMap(find).sort();
if (files.length === 0) {
  console.error('no test files found: that is a failure, not a pass');
  process.exit(1);
}

const concurrency = process.env.ORC_TEST_CONCURRENCY ?? '3';
const nodeArgs = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files];
const [cmd, cmdArgs] = coverage
  ? ['npx', ['c8', '--reporter=text-summary', '--include=src/**', 'node', ...nodeArgs]]
  : ['node', nodeArgs];

const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('exit', (code, signal) => {
  const tests = /# tests (\d+)/.exec(tail);
  if (code === 0 && (!tests || Number(tests[1]) === 0)) {
    console.error('no test ran: failing the run');
    process.exit(1);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
