import { instanceKeyId, type InstanceKey } from '../topology/index.js';
import type { AnalysisSnapshot, BinlogPositionRecord, DowntimeRecord } from './input.js';

/** A snapshot's operator records indexed by instance key, built once per snapshot. */
interface Records {
  readonly downtimes: ReadonlyMap<string, DowntimeRecord>;
  readonly maintenances: ReadonlySet<string>;
  readonly binlogPositions: ReadonlyMap<string, readonly BinlogPositionRecord[]>;
}

// Snapshots are immutable plain data, so the index can be kept for as long as the snapshot is.
const cache = new WeakMap<AnalysisSnapshot, Records>();

function build(snapshot: AnalysisSnapshot): Records {
  const downtimes = new Map<string, DowntimeRecord>();
  for (const d of snapshot.downtimes) {
    if (d.endAt <= snapshot.now) continue;
    const id = instanceKeyId(d.key);
    const seen = downtimes.get(id);
    if (seen === undefined || d.endAt > seen.endAt) downtimes.set(id, d);
  }
  const maintenances = new Set(
    snapshot.maintenances.filter((m) => m.endAt > snapshot.now).map((m) => instanceKeyId(m.key)),
  );
  const binlogPositions = new Map<string, BinlogPositionRecord[]>();
  for (const r of snapshot.binlogPositionRecords) {
    const id = instanceKeyId(r.key);
    binlogPositions.set(id, [...(binlogPositions.get(id) ?? []), r]);
  }
  return { downtimes, maintenances, binlogPositions };
}

function records(snapshot: AnalysisSnapshot): Records {
  let r = cache.get(snapshot);
  if (r === undefined) {
    r = build(snapshot);
    cache.set(snapshot, r);
  }
  return r;
}

/** The downtime of a server active at the snapshot's `now` (the one ending last), if any. */
export function downtimeOf(
  snapshot: AnalysisSnapshot,
  key: InstanceKey,
): DowntimeRecord | undefined {
  return records(snapshot).downtimes.get(instanceKeyId(key));
}

/** True when a maintenance lock on the server is active at the snapshot's `now`. */
export function isUnderMaintenance(snapshot: AnalysisSnapshot, key: InstanceKey): boolean {
  return records(snapshot).maintenances.has(instanceKeyId(key));
}

/** The binlog positions recorded for a server (LockedSemiSyncMaster's evidence). */
export function binlogRecordsOf(
  snapshot: AnalysisSnapshot,
  key: InstanceKey,
): readonly BinlogPositionRecord[] {
  return records(snapshot).binlogPositions.get(instanceKeyId(key)) ?? [];
}
