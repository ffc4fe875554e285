/**
 * orc's Raft: a pure core (`step`) and what a driver needs to run it. See docs/raft.md.
 */
export { step, startNode, type StepResult } from './core/step.js';
export type {
  Effect,
  EffectType,
  Input,
  InputType,
  PersistEffect,
  RequestOutcome,
} from './core/io.js';
export type { Message, MessageType, MessageOf } from './core/messages.js';
export { RAFT_WIRE_VERSION } from './core/messages.js';
export {
  DEFAULT_RAFT_TIMING,
  maxSafeLeaseMs,
  raftOptions,
  type RaftOptions,
} from './core/options.js';
export { isLeaseValid, leaseExpiresAt } from './core/lease.js';
export {
  blankState,
  describeNode,
  isLeader,
  nextWakeAt,
  type RaftState,
  type RoleName,
} from './core/state.js';
export { RaftCode, RaftError, RejectCode } from './core/errors.js';
export {
  EMPTY_PERSISTED_STATE,
  type HardState,
  type LogEntry,
  type NodeId,
  type PersistedState,
  type Snapshot,
} from './core/types.js';
