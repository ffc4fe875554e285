/**
 * A simulated node's disk and state-machine snapshots. The disk holds exactly what `persist`
 * effects wrote, in the order the node executed them; a crash keeps it.
 */
import type { PersistEffect } from '../core/io.js';
import type { HardState, LogEntry, NodeId, Snapshot } from '../core/types.js';
import { PropertyViolation, type MachineState } from './checker.js';

export interface Disk {
  hardState: HardState;
  snapshot: Snapshot | null;
  entries: LogEntry[];
}

/** Applies one `persist` effect, by the rules of `PersistEffect`. */
export function writeDisk(node: NodeId, disk: Disk, e: PersistEffect): void {
  if (e.hardState) disk.hardState = e.hardState;
  if (e.snapshot) {
    const index = e.snapshot.index;
    disk.snapshot = e.snapshot;
    disk.entries = disk.entries.filter((x) => x.index > index);
  }
  if (e.truncateAfter !== undefined) {
    const after = e.truncateAfter;
    disk.entries = disk.entries.filter((x) => x.index <= after);
  }
  for (const entry of e.append ?? []) {
    const last = disk.entries[disk.entries.length - 1]?.index ?? disk.snapshot?.index ?? 0;
    if (entry.index !== last + 1) {
      const detail = `${node} was told to persist entry ${entry.index} after ${last}`;
      throw new PropertyViolation('core-contract', detail);
    }
    disk.entries.push(entry);
  }
}

/** The simulated state machine's snapshot bytes. */
export function encodeMachine(m: MachineState): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m));
}

export function decodeMachine(data: Uint8Array): MachineState {
  return JSON.parse(new TextDecoder().decode(data)) as MachineState;
}
