import type { Command } from 'commander';

/** Registers `orc sandbox …`. Owned by the sandbox work (src/sandbox/). */
export function registerSandboxCommands(_program: Command): void {}
