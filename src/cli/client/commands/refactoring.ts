/**
 * Topology refactoring: moving one replica (prints `replica<new master`) or all replicas of
 * an instance (prints the moved replicas, one per line), by whatever method the server picks or
 * by the one named (file:pos, GTID, Pseudo-GTID).
 */
import { detailsKeys, moved } from './renderers.js';
import type { ClientCommand } from './types.js';

const section = 'Topology refactoring';

/** Moves `-i` somewhere: prints `replica<master`. */
function one(name: string, summary: string, route: string): ClientCommand {
  return { name, section, summary, route, human: moved };
}

/** Moves replicas of `-i`: prints each moved replica. */
function many(name: string, summary: string, route: string): ClientCommand {
  return { name, section, summary, route, human: detailsKeys };
}

export const refactoringCommands: readonly ClientCommand[] = [
  one(
    'relocate',
    'move -i below -d by the best method available',
    'relocate/{instance}/{destination}',
  ),
  many(
    'relocate-replicas',
    'move all replicas of -i below -d',
    'relocate-replicas/{instance}/{destination}',
  ),
  one('move-up', 'make -i replicate from its grandparent', 'move-up/{instance}'),
  many('move-up-replicas', 'move all replicas of -i one level up', 'move-up-replicas/{instance}'),
  one(
    'move-below',
    'make -i replicate from its sibling -d (file:pos)',
    'move-below/{instance}/{destination}',
  ),
  one(
    'move-equivalent',
    'move -i below -d using recorded equivalent coordinates',
    'move-equivalent/{instance}/{destination}',
  ),
  one(
    'repoint',
    'point -i at -d keeping its coordinates (use with care)',
    'repoint/{instance}/{destination}',
  ),
  many(
    'repoint-replicas',
    'point the replicas of -i back at -i (use with care)',
    'repoint-replicas/{instance}',
  ),
  one('take-master', 'swap -i with its master', 'take-master/{instance}'),
  one('take-siblings', 'make the siblings of -i its replicas', 'take-siblings/{instance}'),
  one(
    'make-co-master',
    'make -i and its master replicate from each other',
    'make-co-master/{instance}',
  ),
  one(
    'move-gtid',
    'move -i below -d using GTID',
    // orchestrator-client asks for move-gtid/…, which orchestrator never served.
    'move-below-gtid/{instance}/{destination}',
  ),
  many(
    'move-replicas-gtid',
    'move all replicas of -i below -d using GTID',
    'move-replicas-gtid/{instance}/{destination}',
  ),
  one('match', 'move -i below -d using Pseudo-GTID', 'match/{instance}/{destination}'),
  one('match-up', 'move -i one level up using Pseudo-GTID', 'match-up/{instance}'),
  many(
    'match-up-replicas',
    'move the replicas of -i one level up using Pseudo-GTID',
    'match-up-replicas/{instance}',
  ),
];
