/**
 * The sandbox's public surface: real MariaDB replication topologies on loopback, with a
 * cuttable proxy on every link, for orc's tests, `orc demo` and users' failure drills.
 * See docs/sandbox.md.
 */
export { Sandbox } from './sandbox.js';
export type { InstanceInfo, OperationResult, SandboxEvents, SandboxOptions } from './sandbox.js';
export { SandboxCode, SandboxError } from './errors.js';
export { CUT_MODES, type CutMode, type LinkMode } from './flow.js';
export type { LinkStatus } from './links.js';
export { ORC_ORIGIN, resolveInstance, type LinkKey } from './names.js';
export {
  MAX_REPLICAS,
  SHAPES,
  isShape,
  planTopology,
  type Shape,
  type TopologyPlan,
} from './plan.js';
export { DEFAULT_BASE_PORT, PRIVATE_PORT_OFFSET, planPorts } from './ports.js';
export { reserveBasePort, type PortReservation } from './free-ports.js';
export { startTestSandbox, type CleanupContext } from './testing.js';
export { defaultUsers, ORC_GRANTS, type Credentials, type SandboxUsers } from './sql.js';
export {
  statusOf,
  type InstanceStatus,
  type LiveRole,
  type ReplicationState,
  type SandboxStatus,
} from './status.js';
export {
  readState,
  STATE_FILE,
  WRITES_DIR,
  type GaleraSandboxState,
  type ReplicationSandboxState,
  type SandboxState,
} from './state.js';
export { callControl, type ControlRequest, type ControlResults } from './control.js';
export { launchSupervisor } from './launch.js';
export type { GaleraStatus } from './supervised-galera.js';
export { stopSandbox, type TeardownResult } from './teardown.js';
export { runSupervisorProcess, type SupervisedOptions } from './supervisor-main.js';
export {
  checkRunName,
  WriteLoad,
  type WriteCounts,
  type WriteLoadOptions,
  type WriteTarget,
} from './write-load.js';
export { findAckFile, readAckFile, verifyWrites, type VerifyResult } from './verify.js';
export { isProcessAlive, waitForExit } from './proc.js';
export { pollUntil } from './poll.js';
