import type { Command } from 'commander';

/** Registers `orc config …`. Owned by the configuration work (src/config/). */
export function registerConfigCommands(_program: Command): void {}
