import {
  formatMariaDbGtidPosition,
  parseMariaDbGtidPosition,
  type MariaDbGtidPosition,
} from './gtid-mariadb.js';
import { mariaDbErrant, type MariaDbErrantReport } from './gtid-mariadb-errant.js';
import {
  formatMysqlGtidSet,
  gtidSetUuids,
  mysqlErrantGtids,
  parseMysqlGtidSet,
  type MysqlGtidSet,
} from './gtid-mysql.js';
import type { Instance } from './instance.js';

/**
 * Errant GTIDs of a replica for both families, from facts probed on the replica and on the
 * servers above it. The rules are those of gtid-mysql.ts (`mysqlErrantGtids`) and
 * gtid-mariadb-errant.ts (`mariaDbErrant`); this module only feeds them: transactions that
 * arrive through the replica's other replication connections (MySQL channels, MariaDB named
 * connections) and domains it filters out are not judged.
 */

/** What errant detection reads of the replica. */
export type ErrantReplicaFacts = Pick<
  Instance,
  'serverId' | 'serverUuid' | 'gtid' | 'replication' | 'otherChannels'
>;

export interface ErrantInput {
  readonly replica: ErrantReplicaFacts;
  /** The replica's direct source (its topology connection's), as last probed. */
  readonly source: Pick<Instance, 'gtid'>;
  /** `@@server_uuid`s of the servers above the replica, its source first (MySQL). */
  readonly ancestryUuids: readonly string[];
  /** server_ids of the servers above the replica, its source first (MariaDB). */
  readonly ancestryServerIds: readonly number[];
  /** True when the replica and its source replicate from each other. */
  readonly isCoPrimary?: boolean;
}

export type ErrantGtids =
  | { readonly kind: 'not-compared'; readonly reason: string; readonly text: '' }
  | { readonly kind: 'mysql'; readonly set: MysqlGtidSet; readonly text: string }
  | { readonly kind: 'mariadb'; readonly report: MariaDbErrantReport; readonly text: string };

function notCompared(reason: string): ErrantGtids {
  return { kind: 'not-compared', reason, text: '' };
}

/**
 * The replica's errant transactions as canonical text (`text`, '' when none) with the
 * details of its family. `not-compared` when either side has no GTID state, the families
 * differ, or a position cannot be read.
 */
export function errantGtids(input: ErrantInput): ErrantGtids {
  const mine = input.replica.gtid;
  const theirs = input.source.gtid;
  if (mine === undefined || theirs === undefined) return notCompared('no GTID state on one side');
  try {
    if (mine.flavor === 'mysql' && theirs.flavor === 'mysql') {
      return mysqlErrant(input, mine.executed, theirs.executed);
    }
    if (mine.flavor === 'mariadb' && theirs.flavor === 'mariadb') {
      return mariaDbErrantOf(input, mine.currentPos, theirs.currentPos, mine.strictMode);
    }
  } catch (err) {
    return notCompared(err instanceof Error ? err.message : String(err));
  }
  return notCompared('the replica and its source use different GTID families');
}

function mysqlErrant(input: ErrantInput, executed: string, sourceExecuted: string): ErrantGtids {
  const others = input.replica.otherChannels.flatMap((c) => [
    ...(c.sourceUuid === undefined ? [] : [c.sourceUuid]),
    ...gtidSetUuids(parseMysqlGtidSet(c.retrievedGtidSet)),
  ]);
  const set = mysqlErrantGtids({
    replicaExecuted: parseMysqlGtidSet(executed),
    primaryExecuted: parseMysqlGtidSet(sourceExecuted),
    ...(input.replica.serverUuid === undefined ? {} : { replicaUuid: input.replica.serverUuid }),
    ancestryUuids: [...input.ancestryUuids, ...others],
    isCoPrimary: input.isCoPrimary === true,
  });
  return { kind: 'mysql', set, text: formatMysqlGtidSet(set) };
}

/** Domains the topology connection does not carry: other connections' and filtered ones. */
function domainsNotJudged(replica: ErrantReplicaFacts, position: MariaDbGtidPosition): number[] {
  const fromOthers = replica.otherChannels.flatMap((c) =>
    parseMariaDbGtidPosition(c.gtidIoPos).map((g) => g.domain),
  );
  const filters = replica.replication?.filters;
  const only = filters?.doDomainIds ?? [];
  const filtered =
    only.length > 0 ? position.map((g) => g.domain).filter((d) => !only.includes(d)) : [];
  return [...fromOthers, ...filtered, ...(filters?.ignoreDomainIds ?? [])];
}

function mariaDbErrantOf(
  input: ErrantInput,
  currentPos: string,
  sourceCurrentPos: string,
  strictMode: boolean,
): ErrantGtids {
  const replicaPosition = parseMariaDbGtidPosition(currentPos);
  const report = mariaDbErrant({
    replicaPosition,
    primaryPosition: parseMariaDbGtidPosition(sourceCurrentPos),
    replicaServerId: input.replica.serverId,
    upstreamServerIds: input.ancestryServerIds,
    isCoPrimary: input.isCoPrimary === true,
    ignoreDomains: domainsNotJudged(input.replica, replicaPosition),
    strictMode,
  });
  return { kind: 'mariadb', report, text: formatMariaDbGtidPosition(report.errant) };
}
