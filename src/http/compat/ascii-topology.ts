/**
 * orchestrator's ASCII topology (`/api/topology`, `topology-tabulated`, `topology-tags`, and
 * the `topology` commands of orchestrator-client), drawn from orchestrator-shaped instances.
 * Pure. The rules are those of orchestrator's `go/inst/instance_topology.go`
 * (`ASCIITopology`, `getASCIITopologyEntry`) and `go/inst/instance.go` (`descriptionTokens`,
 * `StatusString`, `LagStatusString`):
 *
 *   primary:1 [0s,ok,10.11.6-MariaDB,rw,ROW,>>,GTID]
 *   + replica:2 (alias) [0s,ok,10.11.6-MariaDB,ro,ROW,>>,GTID]
 *     - chained:3 [null,nonreplicating,10.11.6-MariaDB,ro,ROW,>>,GTID]
 *
 * Two spaces of indent per level below the first; `+` a replica replicating and recently
 * checked, `-` any other; the `[...]` parts aligned in one column. Co-primaries are each
 * drawn at the first level, with their own replicas below. One difference: when several
 * servers of the cluster have no source in it, orchestrator draws only the last of them; orc
 * draws each, in order.
 */
import type { CompatInstance } from './orchestrator-types.js';

/** How to draw. */
export interface AsciiTopologyOptions {
  /** `|`-separated columns, padded to equal widths (`topology-tabulated`). */
  readonly tabulated?: boolean;
  /** Tags per `host:port`, already `name` or `name=value`; given → `[tags]` after each line. */
  readonly tags?: ReadonlyMap<string, readonly string[]>;
  /** ReasonableMaintenanceReplicationLagSeconds: above it a replica's status is `lag`. */
  readonly reasonableMaintenanceLagSeconds: number;
}

function keyText(i: CompatInstance): string {
  return `${i.Key.Hostname}:${i.Key.Port}`;
}

function sourceText(i: CompatInstance): string {
  return `${i.MasterKey.Hostname}:${i.MasterKey.Port}`;
}

/** orchestrator's `IsReplica`: it names a source. */
function isReplica(i: CompatInstance): boolean {
  return i.MasterKey.Hostname !== '' && i.MasterKey.Hostname !== '_' && i.MasterKey.Port !== 0;
}

function replicaRunning(i: CompatInstance): boolean {
  return isReplica(i) && i.ReplicationSQLThreadState === 1 && i.ReplicationIOThreadState === 1;
}

function reasonableLag(i: CompatInstance, maxLag: number): boolean {
  const behind = i.SecondsBehindMaster.Int64;
  if (i.SQLDelay > 0) return Math.abs(behind - i.SQLDelay) <= maxLag;
  return behind <= maxLag;
}

/** `ok`, `lag`, `nonreplicating`, `invalid` or `unchecked`. */
export function statusText(i: CompatInstance, maxLag: number): string {
  if (!i.IsLastCheckValid) return 'invalid';
  if (!i.IsRecentlyChecked) return 'unchecked';
  if (isReplica(i) && !replicaRunning(i)) return 'nonreplicating';
  if (isReplica(i) && !reasonableLag(i, maxLag)) return 'lag';
  return 'ok';
}

/** `Ns`, `null` (not replicating, or no lag reported), `unknown` or `detached`. */
export function lagText(i: CompatInstance): string {
  if (i.IsDetached) return 'detached';
  if (!i.IsLastCheckValid || !i.IsRecentlyChecked) return 'unknown';
  if (isReplica(i) && !replicaRunning(i)) return 'null';
  if (isReplica(i) && !i.SecondsBehindMaster.Valid) return 'null';
  return `${i.ReplicationLagSeconds.Int64}s`;
}

/** The extra markers: `>>`, `GTID` / `GTID:errant`, `P-GTID`, `semi:*`, `downtimed`. */
function extras(i: CompatInstance): string {
  const out: string[] = [];
  if (i.LogBinEnabled && i.LogReplicationUpdatesEnabled) out.push('>>');
  if (i.UsingOracleGTID || i.UsingMariaDBGTID || i.SupportsOracleGTID) {
    out.push(i.GtidErrant === '' ? 'GTID' : 'GTID:errant');
  }
  if (i.UsingPseudoGTID) out.push('P-GTID');
  if (i.SemiSyncMasterStatus) out.push('semi:master');
  if (i.SemiSyncReplicaStatus) out.push('semi:replica');
  if (i.IsDowntimed) out.push('downtimed');
  return out.join(',');
}

/** lag, status, version, ro|rw, binlog format or `nobinlog`, extras (possibly ''). */
export function descriptionTokens(i: CompatInstance, maxLag: number): string[] {
  return [
    lagText(i),
    statusText(i, maxLag),
    i.Version,
    i.ReadOnly ? 'ro' : 'rw',
    i.LogBinEnabled ? i.Binlog_format : 'nobinlog',
    extras(i),
  ];
}

interface Drawing {
  readonly children: ReadonlyMap<string, readonly CompatInstance[]>;
  readonly options: AsciiTopologyOptions;
  readonly drawn: Set<string>;
}

function entryLine(depth: number, i: CompatInstance, d: Drawing): string {
  let prefix = '';
  if (depth > 0) {
    const running = replicaRunning(i) && i.IsLastCheckValid && i.IsRecentlyChecked;
    prefix = ' '.repeat((depth - 1) * 2) + (running ? '+ ' : '- ');
  }
  const alias = i.InstanceAlias === '' ? '' : ` (${i.InstanceAlias})`;
  const tokens = descriptionTokens(i, d.options.reasonableMaintenanceLagSeconds);
  const described = d.options.tabulated
    ? `|${tokens.join('|')}`
    : ` [${tokens.filter((t) => t !== '').join(',')}]`;
  const tags =
    d.options.tags === undefined ? '' : ` [${(d.options.tags.get(keyText(i)) ?? []).join(',')}]`;
  return `${prefix}${keyText(i)}${alias}${described}${tags}`;
}

function entries(depth: number, i: CompatInstance, d: Drawing): string[] {
  if (i.IsCoMaster && depth > 1) return [];
  const id = keyText(i);
  if (d.drawn.has(id)) return [];
  d.drawn.add(id);
  const lines = [entryLine(depth, i, d)];
  for (const child of d.children.get(id) ?? []) lines.push(...entries(depth + 1, child, d));
  return lines;
}

/** Pads every line so that its first `[` lands in the same column (orchestrator's layout). */
function alignBrackets(lines: readonly string[]): string[] {
  const column = Math.max(0, ...lines.map((l) => l.indexOf('[')));
  return lines.map((line) => {
    const at = line.indexOf('[');
    if (at < 0 || at >= column) return line;
    return `${line.slice(0, at)}${' '.repeat(column - at)}${line.slice(at)}`;
  });
}

/**
 * orchestrator's `util.Tabulate(lines, "|", "|", TabulateLeft, TabulateRight)`: columns padded
 * to their widest cell, the first left-aligned, the second (lag) right-aligned, the rest left.
 */
export function tabulate(lines: readonly string[]): string[] {
  const rows = lines.map((l) => l.split('|'));
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, cell.length)));
  return rows.map((row) =>
    widths
      .map((w, c) => {
        const cell = row[c] ?? '';
        return c === 1 ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('|'),
  );
}

/**
 * The ASCII tree of one cluster's instances (in the order given, which is the order siblings
 * are drawn in). An empty list draws ''.
 */
export function asciiTopology(
  instances: readonly CompatInstance[],
  options: AsciiTopologyOptions,
): string {
  const byKey = new Map(instances.map((i) => [keyText(i), i]));
  const children = new Map<string, CompatInstance[]>();
  const roots: CompatInstance[] = [];
  for (const i of instances) {
    const source = sourceText(i);
    if (isReplica(i) && byKey.has(source))
      children.set(source, [...(children.get(source) ?? []), i]);
    else roots.push(i);
  }

  const d: Drawing = { children, options, drawn: new Set() };
  const lines =
    roots.length > 0
      ? roots.flatMap((r) => entries(0, r, d))
      : instances.filter((i) => i.IsCoMaster).flatMap((i) => entries(1, i, d));
  return (options.tabulated === true ? tabulate(lines) : alignBrackets(lines)).join('\n');
}
