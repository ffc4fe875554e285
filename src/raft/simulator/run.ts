/**
 * One simulated run: a seed draws a profile (profile.ts), the cluster boots, faults and client
 * proposals rain on it for `chaosMs` of simulated time, then the network heals and every node
 * restarts; the run passes when a leader holding a lease gets a fresh proposal applied on
 * every member within `livenessMs`. Every property in checker.ts is checked throughout. The
 * run is a pure function of its options: same seed, same run, event for event.
 */
import { isLeaseValid } from '../core/lease.js';
import { nextEpisode, operate, propose } from './chaos.js';
import { PropertyViolation, type Property } from './checker.js';
import { CALM_NETWORK } from './network.js';
import { drawProfile, type Profile } from './profile.js';
import { Prng } from './prng.js';
import { World, type SimEvent } from './world.js';

export interface SimulationOptions {
  readonly seed: number;
  /** Simulated milliseconds of faults before the network heals. */
  readonly chaosMs: number;
  /** Simulated milliseconds a healed cluster gets to elect a leader and commit. */
  readonly livenessMs: number;
}

export interface SimulationReport {
  readonly seed: number;
  readonly profile: string;
  readonly nodes: number;
  /** Inputs fed to Raft cores (each followed by every check). */
  readonly steps: number;
  readonly simulatedMs: number;
  readonly elections: number;
  readonly acknowledged: number;
  /** Simulated ms from healing to the first fresh command applied on every member. */
  readonly recoveryMs: number;
}

/** A property failed; the message names the seed to replay and ends with the trace tail. */
export class SimulationFailure extends Error {
  constructor(
    readonly seed: number,
    readonly property: Property,
    message: string,
  ) {
    super(message);
    this.name = 'SimulationFailure';
  }
}

export function runSimulation(options: SimulationOptions): SimulationReport {
  const prng = new Prng(options.seed);
  const profile = drawProfile(prng);
  const world = new World({
    prng,
    nodes: profile.nodes,
    maxDiskLatencyMs: profile.maxDiskLatencyMs,
  });
  try {
    return drive(world, prng, profile, options);
  } catch (err) {
    throw failure(options, profile, world, err);
  }
}

function drive(
  world: World,
  prng: Prng,
  profile: Profile,
  options: SimulationOptions,
): SimulationReport {
  for (const id of profile.ids) world.schedule(prng.between(0, 20), { kind: 'restart', node: id });
  world.schedule(prng.between(0, 300), { kind: 'chaos' });
  world.schedule(prng.between(0, 300), { kind: 'operator' });
  world.schedule(prng.between(0, 20), { kind: 'client' });
  world.schedule(options.chaosMs, { kind: 'heal' });
  const healUs = Math.round(options.chaosMs * 1000) + 1;
  world.crashDuringWrite = profile.crashDuringWrite;
  for (;;) {
    const next = world.queue.pop();
    if (next === undefined) throw new PropertyViolation('liveness', 'nothing left to happen');
    world.nowUs = next.at;
    if (!world.handle(next.item)) scenario(world, prng, profile, next.item, healUs);
    world.checker.checkLeases(world.live());
    if (world.nowUs >= healUs) {
      const recovered = recoveredAt(world, healUs);
      if (recovered !== null) return report(world, profile, options, recovered);
      if (world.nowUs > healUs + options.livenessMs * 1000) {
        const detail = `no command applied on all members ${options.livenessMs} ms after healing`;
        throw new PropertyViolation('liveness', detail);
      }
    }
  }
}

/** The scenario's own events: faults, client proposals, healing. */
function scenario(world: World, prng: Prng, profile: Profile, event: SimEvent, healUs: number) {
  const healed = world.nowUs >= healUs;
  switch (event.kind) {
    case 'chaos':
      if (!healed) world.schedule(nextEpisode(world, prng, profile), { kind: 'chaos' });
      return;
    case 'operator':
      if (healed) return;
      operate(world, prng, profile);
      world.schedule(prng.between(0, 2 * profile.operatorGapMs), { kind: 'operator' });
      return;
    case 'client':
      propose(world, prng);
      world.schedule(prng.between(0, 2 * profile.clientGapMs), { kind: 'client' });
      return;
    case 'heal':
      world.network.healLinks();
      world.network.conditions = CALM_NETWORK;
      world.crashDuringWrite = 0;
      world.trace.add(world.nowUs, '--', 'HEAL: links restored, calm network, all nodes up');
      for (const node of world.nodes.values()) world.restart(node);
      return;
    default:
      return;
  }
}

/**
 * Liveness: a node holding a lease, a command proposed after healing and acknowledged, and
 * every member of the leader's membership applied it with the same state. Returns the
 * simulated ms since healing, or null while that does not hold yet.
 */
function recoveredAt(world: World, healUs: number): number | null {
  const leader = world.live().find((n) => isLeaseValid(n.state, n.now));
  if (leader === undefined) return null;
  let fresh: { index: number; madeAtUs: number } | null = null;
  for (const p of world.proposals.values()) {
    if (p.madeAtUs < healUs || p.ackedAtUs === undefined || p.index === undefined) continue;
    if (fresh === null || p.index < fresh.index) fresh = { index: p.index, madeAtUs: p.madeAtUs };
  }
  if (fresh === null) return null;
  for (const id of leader.state.config.members) {
    const node = world.node(id);
    if (!node.up || node.machine.index < fresh.index) return null;
  }
  checkAcknowledgedKept(world, fresh, leader.state.config.members);
  return (world.nowUs - healUs) / 1000;
}

/**
 * No acknowledged command was lost: every command acknowledged before the fresh one was
 * proposed sits below it in the log (so every member, having applied the fresh one, applied
 * it too), and every member's state machine has the one history everyone applied.
 */
function checkAcknowledgedKept(
  world: World,
  fresh: { index: number; madeAtUs: number },
  members: readonly string[],
): void {
  for (const [data, p] of world.proposals) {
    if (p.ackedAtUs === undefined || p.ackedAtUs >= fresh.madeAtUs) continue;
    if (p.index === undefined || p.index >= fresh.index) {
      const detail = `${data}, acknowledged at ${p.index}, is not below the fresh ${fresh.index}`;
      throw new PropertyViolation('acknowledged-durability', detail);
    }
  }
  for (const id of members) {
    const m = world.node(id).machine;
    if (world.checker.appliedHash(m.index) !== m.hash) {
      const detail = `${id}'s state machine at ${m.index} differs from what others applied`;
      throw new PropertyViolation('acknowledged-durability', detail);
    }
  }
}

function report(
  world: World,
  profile: Profile,
  options: SimulationOptions,
  recoveryMs: number,
): SimulationReport {
  return {
    seed: options.seed,
    profile: profile.summary,
    nodes: profile.ids.length,
    steps: world.steps,
    simulatedMs: world.nowUs / 1000,
    elections: world.checker.elections,
    acknowledged: world.checker.acked.size,
    recoveryMs,
  };
}

function failure(
  options: SimulationOptions,
  profile: Profile,
  world: World,
  err: unknown,
): SimulationFailure {
  const property: Property = err instanceof PropertyViolation ? err.property : 'core-contract';
  const what = err instanceof Error ? err.message : String(err);
  const replay =
    `ORC_RAFT_SEED=${options.seed} ORC_RAFT_CHAOS_MS=${options.chaosMs} ` +
    `node scripts/run-tests.mjs --no-coverage src/raft/simulator/simulator.test.ts  to replay`;
  const lines = [
    `raft simulation failed at ${(world.nowUs / 1000).toFixed(3)} ms: ${what}`,
    `profile: ${profile.summary}`,
    replay,
    'trace tail:',
    ...world.trace.tail(120),
  ];
  const failure = new SimulationFailure(options.seed, property, lines.join('\n'));
  failure.cause = err;
  return failure;
}
