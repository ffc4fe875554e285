/**
 * MariaDB GTID positions (`domain-server-seq`, comma-separated, one entry per domain) as the
 * sandbox needs them: to tell whether a replica has caught up with its primary. orc's full GTID
 * model lives in src/topology/; the sandbox may not import it and needs only this much.
 */
export type GtidPosition = ReadonlyMap<number, { server: number; seq: bigint }>;

/** Parses `0-1-5,1-2-3`; an empty string is the empty position. Throws on malformed text. */
export function parseGtidPosition(text: string): GtidPosition {
  const position = new Map<number, { server: number; seq: bigint }>();
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const match = /^(\d+)-(\d+)-(\d+)$/.exec(entry);
    if (!match) throw new Error(`malformed MariaDB GTID "${entry}" in "${text}"`);
    position.set(Number(match[1]), { server: Number(match[2]), seq: BigInt(match[3] ?? '0') });
  }
  return position;
}

/** True when `have` has applied everything `want` has: per domain, a sequence number ≥. */
export function gtidCovers(have: GtidPosition, want: GtidPosition): boolean {
  for (const [domain, wanted] of want) {
    const had = have.get(domain);
    if (!had || had.seq < wanted.seq) return false;
  }
  return true;
}
