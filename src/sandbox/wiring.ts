import { systemClock, type Clock } from '../common/clock.js';
import { SandboxCode, SandboxError } from './errors.js';
import { gtidCovers, parseGtidPosition } from './gtid.js';
import { listSome } from './names.js';
import type { TopologyPlan } from './plan.js';
import {
  primarySetupStatements,
  replicaStatements,
  rows,
  runStatements,
  semiSyncPrimaryStatements,
  withRoot,
  type SandboxUsers,
} from './sql.js';
import type { InstanceRecord } from './state.js';

/**
 * Wires a planned topology on running servers: opens the primary and creates the accounts
 * there (they replicate everywhere), points every replica at its source's public address, and
 * waits until every replica runs both threads and has applied the primary's position.
 */
export async function wireTopology(options: {
  plan: TopologyPlan;
  records: readonly InstanceRecord[];
  users: SandboxUsers;
  semiSync: { timeoutMs: number | null } | null;
  timeoutMs: number;
  clock?: Clock;
}): Promise<void> {
  const { plan, users } = options;
  const byName = new Map(options.records.map((r) => [r.name, r]));
  const get = (name: string): InstanceRecord => byName.get(name) as InstanceRecord;
  const primary = get(plan.primary);
  await withRoot(primary.privatePort, (c) =>
    runStatements(c, primarySetupStatements(users), primary.name),
  );

  const point = (edge: TopologyPlan['edges'][number]): Promise<void> => {
    const replica = get(edge.replica);
    const statements = replicaStatements({
      sourcePort: get(edge.source).publicPort,
      repl: users.repl,
      closesLoop: edge.closesLoop,
    });
    return withRoot(replica.privatePort, (c) => runStatements(c, statements, replica.name));
  };
  const straight = plan.edges.filter((e) => !e.closesLoop);
  const loops = plan.edges.filter((e) => e.closesLoop);
  await Promise.all(straight.map(point));
  const wait = { timeoutMs: options.timeoutMs, clock: options.clock ?? systemClock };
  if (loops.length > 0) {
    await waitForCatchUp({ source: primary, replicas: loops.map((e) => get(e.source)), ...wait });
    await Promise.all(loops.map(point));
  }
  const replicas = plan.edges.map((e) => get(e.replica));
  await waitForCatchUp({ source: primary, replicas, ...wait });

  if (options.semiSync) {
    const direct = straight.filter((e) => e.source === primary.name).map((e) => get(e.replica));
    await enableSemiSync(primary, direct, options.semiSync.timeoutMs, wait);
  }
}

/**
 * Resolves once every replica runs both threads (Yes/Yes) and its gtid_current_pos covers the
 * source's (read once, at the start). Throws SANDBOX_TIMEOUT naming the laggards and what their
 * SHOW SLAVE STATUS says.
 */
export async function waitForCatchUp(options: {
  source: Pick<InstanceRecord, 'name' | 'privatePort'>;
  replicas: readonly Pick<InstanceRecord, 'name' | 'privatePort'>[];
  timeoutMs: number;
  clock?: Clock;
}): Promise<void> {
  const clock = options.clock ?? systemClock;
  const target = await withRoot(options.source.privatePort, async (c) => {
    const [row] = await rows(c, 'SELECT @@gtid_current_pos AS gtid');
    return parseGtidPosition(String(row?.gtid ?? ''));
  });
  const deadline = clock.monotonic() + options.timeoutMs;
  let pending = [...options.replicas];
  let reasons: Map<string, string>;
  for (;;) {
    const checks = await Promise.all(pending.map((r) => caughtUp(r.privatePort, target)));
    reasons = new Map(pending.flatMap((r, i) => (checks[i] ? [[r.name, checks[i]]] : [])));
    pending = pending.filter((_, i) => checks[i] !== null);
    if (pending.length === 0) return;
    if (clock.monotonic() > deadline) break;
    await clock.sleep(25);
  }
  const detail = listSome([...reasons].map(([name, why]) => `${name}: ${why}`));
  throw new SandboxError(
    SandboxCode.Timeout,
    `replicas did not catch up with ${options.source.name} within ${options.timeoutMs} ms: ` +
      detail,
  );
}

/** null when caught up, else why not. */
async function caughtUp(
  port: number,
  target: ReturnType<typeof parseGtidPosition>,
): Promise<string | null> {
  try {
    return await withRoot(
      port,
      async (c) => {
        const [slave] = await rows(c, 'SHOW SLAVE STATUS');
        const [pos] = await rows(c, 'SELECT @@gtid_current_pos AS gtid');
        const io = String(slave?.Slave_IO_Running ?? 'none');
        const sql = String(slave?.Slave_SQL_Running ?? 'none');
        if (io !== 'Yes' || sql !== 'Yes') {
          const error = String(slave?.Last_IO_Error || slave?.Last_SQL_Error || '');
          return `IO ${io}, SQL ${sql}${error ? ` (${error})` : ''}`;
        }
        const have = String(pos?.gtid ?? '');
        return gtidCovers(parseGtidPosition(have), target) ? null : `at ${have || 'nothing'}`;
      },
      1000,
    );
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function enableSemiSync(
  primary: InstanceRecord,
  direct: readonly InstanceRecord[],
  timeoutMs: number | null,
  wait: { timeoutMs: number; clock: Clock },
): Promise<void> {
  const statements = semiSyncPrimaryStatements(timeoutMs);
  await withRoot(primary.privatePort, (c) => runStatements(c, statements, primary.name));
  // A replica asks for semi-sync when its IO thread connects: reconnect the direct ones.
  const restart = ['STOP SLAVE IO_THREAD', 'START SLAVE IO_THREAD'];
  await Promise.all(
    direct.map((r) => withRoot(r.privatePort, (c) => runStatements(c, restart, r.name))),
  );
  const deadline = wait.clock.monotonic() + wait.timeoutMs;
  for (;;) {
    const clients = await withRoot(primary.privatePort, async (c) => {
      const [row] = await rows(c, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'");
      return Number(row?.Value ?? 0);
    });
    if (clients >= direct.length) return;
    if (wait.clock.monotonic() > deadline) {
      throw new SandboxError(
        SandboxCode.Timeout,
        `semi-sync: ${clients} of ${direct.length} replicas of ${primary.name} connected ` +
          `as semi-sync clients within ${wait.timeoutMs} ms`,
      );
    }
    await wait.clock.sleep(25);
  }
}
