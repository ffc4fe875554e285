import type {
  GaleraStatus,
  InstanceStatus,
  SandboxState,
  SandboxStatus,
  WriteCounts,
} from '../sandbox/index.js';

/** Plain-text renderings of sandbox results for people; `--json` prints the objects instead. */

/** A left-aligned table with a header row and two spaces between columns. */
export function renderTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** The table `up` prints: every instance with its planned role and source. */
export function formatUp(state: SandboxState, elapsedMs: number): string {
  const head =
    `sandbox up in ${(elapsedMs / 1000).toFixed(1)} s: ` +
    (state.kind === 'galera' ? `Galera cluster ${state.clusterName}` : state.shape) +
    `, ${state.instances.length} MariaDB ${state.mariadbVersion} servers in ${state.dir}`;
  const table =
    state.kind === 'galera'
      ? renderTable(
          ['NAME', 'ADDRESS', 'PID'],
          state.instances.map((i) => [i.name, `127.0.0.1:${i.publicPort}`, String(i.pid ?? '-')]),
        )
      : renderTable(
          ['NAME', 'ADDRESS', 'ROLE', 'SOURCE', 'SERVER_ID', 'PID'],
          state.instances.map((i) => [
            i.name,
            `127.0.0.1:${i.publicPort}`,
            i.plannedRole,
            i.plannedSource ?? '-',
            String(i.serverId),
            String(i.pid ?? '-'),
          ]),
        );
  const first = state.instances[0];
  const orc = state.users.orc;
  return [
    head,
    table,
    '',
    `orc's account: ${orc.user}/${orc.password}; root@127.0.0.1 has no password (loopback ` +
      'sandbox, never production)',
    first
      ? `try: mariadb -h127.0.0.1 -P${first.publicPort} -u${orc.user} -p${orc.password}    ` +
        `stop: orc sandbox down --dir ${state.dir}`
      : '',
  ].join('\n');
}

/** The table `status` prints for a Galera sandbox. */
export function formatGaleraStatus(status: GaleraStatus): string {
  const rows = status.members.map((m) => [
    m.name,
    m.address,
    String(m.pid ?? '-'),
    m.alive ? 'yes' : 'no',
    m.clusterStatus ?? '-',
    m.clusterSize === null ? '-' : String(m.clusterSize),
    m.localStateComment ?? '-',
    m.ready === null ? '-' : m.ready ? 'ON' : 'OFF',
    m.cut ?? 'pass',
  ]);
  const headers = ['NAME', 'ADDRESS', 'PID', 'ALIVE', 'CLUSTER', 'SIZE', 'STATE', 'READY', 'LINKS'];
  return `Galera cluster ${status.clusterName}\n` + renderTable(headers, rows);
}

/** The table `status` prints, then replication errors and cut links. */
export function formatStatus(status: SandboxStatus): string {
  const rows = status.instances.map((i) => [
    i.name,
    i.address,
    i.role,
    String(i.pid ?? '-'),
    i.alive ? 'yes' : 'no',
    i.readOnly === null ? '-' : i.readOnly ? 'ON' : 'OFF',
    i.replication?.ioRunning ?? '-',
    i.replication?.sqlRunning ?? '-',
    behind(i),
    i.gtidCurrentPos || '-',
    i.replication ? (i.replication.source ?? i.replication.sourceAddress) : '-',
  ]);
  const headers = ['NAME', 'ADDRESS', 'ROLE', 'PID', 'ALIVE', 'RO', 'IO', 'SQL', 'BEHIND'];
  const lines = [renderTable([...headers, 'GTID', 'SOURCE'], rows)];
  const problems = status.instances.flatMap(problemsOf);
  if (problems.length > 0) lines.push('', ...problems);
  lines.push(
    '',
    status.cuts.length === 0
      ? 'links: all pass'
      : 'cut links:\n' +
          status.cuts
            .map(
              (c) =>
                `  ${c.from} → ${c.to}: ${c.mode} (${c.flows} open ${c.flows === 1 ? 'flow' : 'flows'})`,
            )
            .join('\n'),
  );
  return lines.join('\n');
}

function behind(i: InstanceStatus): string {
  const r = i.replication;
  if (!r) return '-';
  const delay = r.sqlDelay > 0 ? ` (delay ${r.sqlDelay})` : '';
  return (r.secondsBehind === null ? 'NULL' : String(r.secondsBehind)) + delay;
}

function problemsOf(i: InstanceStatus): string[] {
  const out: string[] = [];
  if (i.alive && !i.reachable && i.error) out.push(`${i.name}: unreachable: ${i.error}`);
  const r = i.replication;
  if (r && r.lastIoErrno !== 0) out.push(`${i.name}: IO error ${r.lastIoErrno}: ${r.lastIoError}`);
  if (r && r.lastSqlErrno !== 0) {
    out.push(`${i.name}: SQL error ${r.lastSqlErrno}: ${r.lastSqlError}`);
  }
  return out;
}

/** One progress line of `write`. */
export function formatWriteCounts(c: WriteCounts): string {
  return (
    `run ${c.run}: acked ${c.acked}  rejected ${c.rejected}  in doubt ${c.inDoubt}  ` +
    `unavailable ${c.unavailable}  target ${c.target ?? '-'}  switches ${c.switches}`
  );
}
