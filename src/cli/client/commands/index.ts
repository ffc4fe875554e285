/**
 * The client command table: every orchestrator-client command orc answers, in help order,
 * and the lookups built from it (names, aliases, "slave" spellings, typo suggestions).
 */
import { closest } from '../../../config/suggest.js';
import type { Need } from '../inputs.js';
import { routeNeeds, routeOptional } from '../route.js';
import { informationCommands } from './information.js';
import { managementCommands } from './management.js';
import { metaCommands } from './meta.js';
import { recoveryCommands } from './recovery.js';
import { refactoringCommands } from './refactoring.js';
import { replicationCommands } from './replication.js';
import { SECTIONS, type ClientCommand } from './types.js';

export { SECTIONS, type ClientCommand, type Rendered, type Section } from './types.js';

/** All client commands, grouped by section in `SECTIONS` order. */
export const clientCommands: readonly ClientCommand[] = [
  ...informationCommands,
  ...managementCommands,
  ...refactoringCommands,
  ...replicationCommands,
  ...recoveryCommands,
  ...metaCommands,
].sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section));

/**
 * Every name a command answers to besides its own: the declared aliases, and for a name with
 * "replica" in it the "slave" spelling orchestrator's binary used (`which-slaves`).
 */
export function aliasesOf(command: ClientCommand): string[] {
  const names = new Set(command.aliases ?? []);
  const slave = command.name.replace(/(^|-)replica(s?)(?=-|$)/, '$1slave$2');
  if (slave !== command.name) names.add(slave);
  names.delete(command.name);
  return [...names];
}

const byName = new Map<string, ClientCommand>();
for (const command of clientCommands) {
  for (const name of [command.name, ...aliasesOf(command)]) byName.set(name, command);
}

/**
 * The command called `name` (or an alias), also after orchestrator-client's rewrite of the
 * first "slave" into "replica" (`stop-slave-nice` → `stop-replica-nice`).
 */
export function findClientCommand(name: string): ClientCommand | undefined {
  return byName.get(name) ?? byName.get(name.replace('slave', 'replica'));
}

/** Every accepted client command name, aliases included. */
export function clientCommandNames(): string[] {
  return [...byName.keys()];
}

/** The likely intended name for a typo, among `extra` names and the client commands. */
export function suggestCommand(name: string, extra: Iterable<string> = []): string | undefined {
  return closest(name, [...clientCommands.map((c) => c.name), ...extra]);
}

/** What must be given (checked before any request). */
export function needsOf(command: ClientCommand): Need[] {
  return command.route === undefined ? [...(command.needs ?? [])] : routeNeeds(command.route);
}

/** What is used when given. */
export function optionalOf(command: ClientCommand): Need[] {
  const declared = command.optional ?? [];
  return command.route === undefined
    ? [...declared]
    : [...routeOptional(command.route), ...declared];
}

/** The API path pattern a command calls, for help and docs. */
export function callsOf(command: ClientCommand): string {
  return command.route ?? command.calls;
}
