import { OrcError } from '../common/errors.js';

/** Server families: MariaDB, Oracle MySQL, and Percona Server (MySQL-compatible). */
export type ServerFlavor = 'mariadb' | 'mysql' | 'percona';

/**
 * A server's `@@version`, read into numbers. `suffix` is what follows `major.minor.patch`
 * (`-MariaDB-0+deb12u1`, `-28`, `-log`); `raw` is the text as given.
 */
export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly flavor: ServerFlavor;
  readonly suffix: string;
  readonly raw: string;
}

const VERSION = /^(\d+)\.(\d+)\.(\d+)(.*)$/;
// MariaDB before 11 sends this prefix in the protocol handshake so that old clients accept it.
const MARIADB_HANDSHAKE = /^5\.5\.5-(?=\d+\.\d+\.\d+.*mariadb)/i;
// Percona Server adds its own build number after a dash: 8.0.36-28, 5.7.44-48-log.
const PERCONA_BUILD = /^-\d+(\.\d+)?(-|$)/;

function flavorOf(version: string, suffix: string, comment: string | undefined): ServerFlavor {
  if (/mariadb/i.test(version) || (comment !== undefined && /mariadb/i.test(comment))) {
    return 'mariadb';
  }
  if (comment !== undefined) return /percona/i.test(comment) ? 'percona' : 'mysql';
  return PERCONA_BUILD.test(suffix) ? 'percona' : 'mysql';
}

/**
 * Reads `@@version` (optionally with `@@version_comment`, which settles Percona vs MySQL).
 * MariaDB is recognised by "MariaDB" in either text, and its `5.5.5-` handshake prefix is
 * dropped. Without a comment, a numeric build after the version (`8.0.36-28`) is taken for
 * Percona. Throws `INVALID_VERSION` when the text does not start with `major.minor.patch`.
 */
export function parseServerVersion(version: string, versionComment?: string): ServerVersion {
  const raw = version.trim();
  const text = raw.replace(MARIADB_HANDSHAKE, '');
  const m = VERSION.exec(text);
  if (!m?.[1] || !m[2] || !m[3]) {
    throw new OrcError(
      'INVALID_VERSION',
      `invalid server version "${version}": ` +
        'expected major.minor.patch[suffix], e.g. 8.0.36 or 10.11.6-MariaDB',
      { context: { value: version } },
    );
  }
  const suffix = m[4] ?? '';
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    flavor: flavorOf(text, suffix, versionComment),
    suffix,
    raw,
  };
}

/** `major.minor` (`10.11`, `8.0`): orchestrator's "major version", a release series. */
export function versionSeries(v: ServerVersion): string {
  return `${v.major}.${v.minor}`;
}

/**
 * Orders versions by major, minor, then patch, ignoring flavor and suffix (comparing a MariaDB
 * number with a MySQL one is meaningless; callers check the flavor first).
 */
export function compareServerVersions(a: ServerVersion, b: ServerVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True for MariaDB servers. */
export function isMariaDB(v: ServerVersion): boolean {
  return v.flavor === 'mariadb';
}

/** The outcome of a compatibility rule: allowed, or refused with a sentence saying why. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function refuse(reason: string): Verdict {
  return { ok: false, reason };
}

/**
 * Whether a server of version `replica` may replicate from one of version `source`, judged on
 * versions alone:
 * - a MySQL or Percona replica never replicates from a MariaDB source (MariaDB writes events
 *   MySQL does not read);
 * - with GTID (`usingGtid`), MariaDB and MySQL/Percona never mix: their GTIDs differ;
 * - within one family, the replica's release series (`major.minor`) must not be older than the
 *   source's, as orchestrator checks; patch levels are not compared.
 * A MariaDB replica of a MySQL source without GTID passes: the numbering of the two families
 * cannot be compared, and whether that MySQL version is readable is MariaDB's documented
 * matter.
 */
export function canReplicateFrom(
  replica: ServerVersion,
  source: ServerVersion,
  options: { readonly usingGtid: boolean },
): Verdict {
  const replicaIsMaria = isMariaDB(replica);
  const sourceIsMaria = isMariaDB(source);
  if (sourceIsMaria && !replicaIsMaria) {
    return refuse(
      `a ${replica.flavor} ${replica.raw} replica cannot replicate from MariaDB ${source.raw}`,
    );
  }
  if (replicaIsMaria !== sourceIsMaria) {
    if (!options.usingGtid) return { ok: true };
    return refuse(
      `MariaDB ${replica.raw} cannot use GTID from ${source.flavor} ${source.raw}: ` +
        'their GTIDs are incompatible',
    );
  }
  if (
    replica.major < source.major ||
    (replica.major === source.major && replica.minor < source.minor)
  ) {
    return refuse(
      `replica version ${replica.raw} (${versionSeries(replica)}) is older than source ` +
        `version ${source.raw} (${versionSeries(source)})`,
    );
  }
  return { ok: true };
}
