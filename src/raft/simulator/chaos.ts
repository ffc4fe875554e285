/**
 * What a run throws at the cluster while it is unhealed, as a nemesis would: a sequence of
 * episodes, each one fault (or none) held for a random time and then repaired, so that the
 * cluster spends real time in each faulty shape (a leader cut off from one follower, a leader
 * alone with a minority, a crashed leader, a lossy network, …). Independently, an operator
 * transfers leadership, changes membership and takes snapshots, and a client proposes.
 */
import type { NodeId } from '../core/types.js';
import { CALM_NETWORK } from './network.js';
import type { Profile } from './profile.js';
import type { Prng } from './prng.js';
import type { SimNode, World } from './world.js';

/** A live node that believes it leads, else any live node; null when all are down. */
export function likelyLeader(world: World, prng: Prng): SimNode | null {
  const live = [...world.nodes.values()].filter((n) => n.up && n.state !== null);
  const leaders = live.filter((n) => n.state?.role.type === 'leader');
  if (leaders.length > 0) return prng.pick(leaders);
  return live.length > 0 ? prng.pick(live) : null;
}

/** The client proposes a fresh command, usually to the node that believes it leads. */
export function propose(world: World, prng: Prng): void {
  const node = likelyLeader(world, prng);
  if (node === null) return;
  const data = `c${world.proposals.size + 1}`;
  world.proposals.set(data, { node: node.id, madeAtUs: world.nowUs });
  world.feed(node, { type: 'client-propose', requestId: data, data });
}

const FAULTS = {
  none: 3,
  crashOne: 2,
  crashLeader: 3,
  crashMinority: 1,
  isolateLeader: 2,
  leaderWithMinority: 2,
  cutLeaderToOne: 4,
  cutOneToLeader: 2,
  oneWayLinks: 2,
  slowLinks: 2,
  leaseStress: 3,
  partition: 2,
  roughNetwork: 3,
  combined: 2,
} as const;

type Fault = keyof typeof FAULTS;

/**
 * Ends the current episode (links healed, calm network, crashed nodes restarted) and starts
 * the next one. Returns how long it lasts, in simulated ms.
 */
export function nextEpisode(world: World, prng: Prng, profile: Profile): number {
  world.network.healLinks();
  world.network.conditions = CALM_NETWORK;
  for (const node of world.nodes.values()) {
    if (!node.up && prng.chance(0.7)) world.restart(node);
  }
  const fault: Fault = prng.weighted(FAULTS);
  world.trace.add(world.nowUs, '--', `episode: ${fault}`);
  if (fault === 'combined') {
    inflict(world, prng, profile, prng.weighted({ ...FAULTS, combined: 0 }));
    inflict(world, prng, profile, prng.weighted({ ...FAULTS, combined: 0 }));
  } else {
    inflict(world, prng, profile, fault);
  }
  return prng.pick([30, 150, 400, 1000]) * prng.between(0.5, 1.5);
}

function inflict(world: World, prng: Prng, profile: Profile, fault: Fault): void {
  const ids = profile.ids;
  const leader = likelyLeader(world, prng);
  const others = ids.filter((id) => id !== leader?.id);
  const minority = Math.floor((ids.length - 1) / 2);
  switch (fault) {
    case 'none':
    case 'combined':
      return;
    case 'crashOne':
      return crash(world, prng, prng.pick(ids));
    case 'crashLeader':
      return leader === null ? undefined : crash(world, prng, leader.id);
    case 'crashMinority':
      for (const id of pickSome(prng, ids, minority)) crash(world, prng, id);
      return;
    case 'isolateLeader':
    case 'leaderWithMinority': {
      if (leader === null) return;
      const side = [leader.id, ...pickSome(prng, others, fault === 'isolateLeader' ? 0 : minority)];
      return cutOff(world, side, ids);
    }
    case 'cutLeaderToOne':
    case 'cutOneToLeader': {
      if (leader === null || others.length === 0) return;
      const other = prng.pick(others);
      if (fault === 'cutLeaderToOne') world.network.block(leader.id, other);
      else world.network.block(other, leader.id);
      return note(world);
    }
    case 'oneWayLinks':
      for (let i = prng.int(1, ids.length); i > 0; i--) {
        world.network.block(prng.pick(ids), prng.pick(ids));
      }
      return note(world);
    case 'slowLinks':
      for (let i = prng.int(1, ids.length); i > 0; i--) {
        world.network.slowDown(prng.pick(ids), prng.pick(ids), prng.between(5, 150));
      }
      return note(world);
    case 'leaseStress': {
      // The leader stops reaching one follower (which will campaign) while news from another
      // follower reaches it late: the shape in which a stale lease would overlap a new one.
      if (leader === null || others.length < 2) return;
      const [cut, slow] = pickSome(prng, others, 2);
      if (cut === undefined || slow === undefined) return;
      world.network.block(leader.id, cut);
      world.network.slowDown(slow, leader.id, prng.between(20, 120));
      return note(world);
    }
    case 'partition':
      return cutOff(world, pickSome(prng, ids, prng.int(1, ids.length - 1)), ids);
    case 'roughNetwork':
      return roughen(world, prng);
  }
}

function crash(world: World, prng: Prng, id: NodeId): void {
  const node = world.node(id);
  if (!node.up) return;
  world.crash(node);
  if (prng.chance(0.5)) world.schedule(prng.between(1, 300), { kind: 'restart', node: id });
}

function pickSome(prng: Prng, ids: readonly NodeId[], count: number): NodeId[] {
  const pool = [...ids];
  const out: NodeId[] = [];
  while (out.length < count && pool.length > 0) {
    out.push(...pool.splice(Math.floor(prng.next() * pool.length), 1));
  }
  return out;
}

function cutOff(world: World, side: readonly NodeId[], ids: readonly NodeId[]): void {
  world.network.partition(
    side,
    ids.filter((id) => !side.includes(id)),
  );
  note(world);
}

function note(world: World): void {
  world.trace.add(world.nowUs, '--', `cut ${world.network.blockedLinks().join(' ')}`);
}

function roughen(world: World, prng: Prng): void {
  const maxDelayMs = prng.between(1, 30);
  world.network.conditions = {
    loss: prng.pick([0, 0.05, 0.2, 0.4]),
    duplicate: prng.pick([0, 0.05, 0.2]),
    minDelayMs: 0.1,
    maxDelayMs,
    slow: prng.pick([0, 0.02, 0.1]),
    slowDelayMs: maxDelayMs + prng.between(20, 400),
  };
  const c = world.network.conditions;
  const delay = c.maxDelayMs.toFixed(1);
  const text = `network loss=${c.loss} dup=${c.duplicate} delay≤${delay} slow=${c.slow}`;
  world.trace.add(world.nowUs, '--', text);
}

const OPERATIONS = { transfer: 3, membership: 3, snapshot: 2 } as const;

/** An operator's request: a leadership transfer, a membership change or a snapshot. */
export function operate(world: World, prng: Prng, profile: Profile): void {
  const weights = { ...OPERATIONS, membership: profile.membershipChanges ? 3 : 0 };
  const what = prng.weighted(weights);
  const node = likelyLeader(world, prng);
  if (node === null) return;
  const requestId = `${what}-${world.nowUs}`;
  const ids = profile.ids;
  if (what === 'snapshot') return world.takeSnapshot(node, 0);
  if (what === 'transfer') {
    if (prng.chance(0.3)) return world.feed(node, { type: 'transfer-leadership', requestId });
    return world.feed(node, { type: 'transfer-leadership', requestId, target: prng.pick(ids) });
  }
  const members = node.state?.config.members ?? [];
  const outsiders = ids.filter((id) => !members.includes(id));
  const add = outsiders.length > 0 && (members.length <= 2 || prng.chance(0.5));
  if (add) world.feed(node, { type: 'add-peer', requestId, peer: prng.pick(outsiders) });
  else if (members.length > 0) {
    world.feed(node, { type: 'remove-peer', requestId, peer: prng.pick(members) });
  }
}
