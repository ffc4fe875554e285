import { SandboxCode, SandboxError } from './errors.js';

/**
 * Replication shapes the sandbox can build, as a pure plan: which instance replicates from
 * which, in what order to wire them, and which one starts writable.
 *
 * - star: every replica below the primary.
 * - chain: each instance below the previous one.
 * - tree (the demo shape): replicas below the primary, the last one chained below the first
 *   replica. With 3 replicas: s1 → s2, s1 → s3, s2 → s4.
 * - co-primary: s1 and s2 replicate from each other (s2 stays read-only), further replicas
 *   below s1.
 */
export const SHAPES = ['star', 'chain', 'tree', 'co-primary'] as const;
export type Shape = (typeof SHAPES)[number];

/** The role an instance is given at `up`; live roles may differ after a failover. */
export type PlannedRole = 'primary' | 'co-primary' | 'replica';

export interface PlannedInstance {
  /** `s1`, `s2`, … in port order. */
  readonly name: string;
  readonly index: number;
  readonly role: PlannedRole;
  /** The instance it replicates from, or null for the primary. */
  readonly source: string | null;
}

/** One CHANGE MASTER to run. `closesLoop` edges are wired last (co-primary's way back). */
export interface PlannedEdge {
  readonly replica: string;
  readonly source: string;
  readonly closesLoop: boolean;
}

export interface TopologyPlan {
  readonly shape: Shape;
  readonly instances: readonly PlannedInstance[];
  /** Wiring order: every edge whose source is a replica comes after that replica's own edge. */
  readonly edges: readonly PlannedEdge[];
  /** The one instance that starts writable. */
  readonly primary: string;
}

/** `s1` for index 0. */
export function instanceName(index: number): string {
  return `s${index + 1}`;
}

/** True when `value` names a shape. */
export function isShape(value: string): value is Shape {
  return (SHAPES as readonly string[]).includes(value);
}

/**
 * The most replicas `up` accepts: 40 was measured to come up; at 60 the servers' start and
 * catch-up outrun the timeouts on an ordinary machine.
 */
export const MAX_REPLICAS = 40;

const minimumReplicas: Record<Shape, number> = { star: 0, chain: 0, tree: 2, 'co-primary': 1 };

/** Plans `shape` with one primary and `replicas` more instances; throws on impossible input. */
export function planTopology(shape: Shape, replicas: number): TopologyPlan {
  const minimum = minimumReplicas[shape];
  if (!Number.isInteger(replicas) || replicas < minimum) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `shape ${shape} needs at least ${minimum} replicas, got ${replicas}`,
    );
  }
  if (replicas > MAX_REPLICAS) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `a sandbox has at most ${MAX_REPLICAS} replicas, got ${replicas}`,
    );
  }
  const count = replicas + 1;
  const sources = Array.from({ length: count }, (_, i) => sourceIndex(shape, i, count));
  const instances = sources.map((source, i) => ({
    name: instanceName(i),
    index: i,
    role: roleOf(shape, i),
    source: source === null ? null : instanceName(source),
  }));
  const edges: PlannedEdge[] = instances.flatMap((inst) =>
    inst.source === null || inst.role === 'primary'
      ? []
      : [{ replica: inst.name, source: inst.source, closesLoop: false }],
  );
  if (shape === 'co-primary') edges.push({ replica: 's1', source: 's2', closesLoop: true });
  return { shape, instances, edges, primary: 's1' };
}

function roleOf(shape: Shape, i: number): PlannedRole {
  if (i === 0) return 'primary';
  if (shape === 'co-primary' && i === 1) return 'co-primary';
  return 'replica';
}

function sourceIndex(shape: Shape, i: number, count: number): number | null {
  if (i === 0) return shape === 'co-primary' ? 1 : null;
  switch (shape) {
    case 'star':
    case 'co-primary':
      return 0;
    case 'chain':
      return i - 1;
    case 'tree':
      return i === count - 1 ? 1 : 0;
  }
}
