import { resolve } from 'node:path';
import type { Command } from 'commander';
import { OrcError } from '../common/errors.js';

/** Options every `orc sandbox …` command takes. */
export interface CommonOptions {
  dir: string;
  json?: boolean;
}

/** The default sandbox directory: $ORC_SANDBOX_DIR, else ./.orc-sandbox (git-ignored). */
export function defaultDir(): string {
  return process.env.ORC_SANDBOX_DIR ?? '.orc-sandbox';
}

/** Adds `--dir` and `--json` to `command`. */
export function withCommon(command: Command): Command {
  return command
    .option('--dir <dir>', 'the sandbox directory', defaultDir())
    .option('--json', 'print JSON for machines');
}

/** The absolute sandbox directory of parsed options. */
export function dirOf(options: CommonOptions): string {
  return resolve(options.dir);
}

/** Prints `value` as JSON, or `text()` for people. */
export function print(options: CommonOptions, value: unknown, text: () => string): void {
  console.log(options.json ? JSON.stringify(value, null, 2) : text());
}

/** A commander argument parser for integers in [min, max]; bad input is a usage error. */
export function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new OrcError(
        'USAGE',
        `${name} must be an integer from ${min} to ${max}, got "${value}"`,
      );
    }
    return n;
  };
}

/** A commander argument parser for a positive number (rates, durations). */
export function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
      throw new OrcError('USAGE', `${name} must be a positive number, got "${value}"`);
    }
    return n;
  };
}

/** A commander argument parser accepting one of `choices`. */
export function oneOf<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new OrcError('USAGE', `${name} must be one of ${choices.join(', ')}, got "${value}"`);
    }
    return value as T;
  };
}
