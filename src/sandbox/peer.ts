import { readFile, readdir, readlink } from 'node:fs/promises';

/**
 * Which process opened a TCP connection that a proxy accepted, found through /proc (Linux).
 *
 * Why: MariaDB has no MASTER_BIND, so a replica's connection to its source comes from
 * 127.0.0.1 like every other client. The sandbox still has to tell "s3's IO thread" from "orc"
 * at a server's public port, so that `cut s3 s1` and `cut orc s1` act on different flows, also
 * after orc has re-pointed replicas during a failover. The client end of the connection is a
 * socket in /proc/net/tcp (local port = the peer port the proxy sees); its inode is held by
 * exactly one process, found among the sandbox's mariadbd pids in /proc/PID/fd.
 */

export interface TcpEntry {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly inode: number;
}

/** Parses /proc/net/tcp (IPv4). Malformed lines are skipped. */
export function parseProcNetTcp(text: string): TcpEntry[] {
  const entries: TcpEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1] && parseEndpoint(fields[1]);
    const remote = fields[2] && parseEndpoint(fields[2]);
    const inode = Number(fields[9]);
    if (!local || !remote || !Number.isInteger(inode)) continue;
    entries.push({
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      inode,
    });
  }
  return entries;
}

/** `0100007F:5CB6` → 127.0.0.1:23734 (the address is little-endian on x86 and arm64). */
function parseEndpoint(text: string): { address: string; port: number } | null {
  const match = /^([0-9A-F]{8}):([0-9A-F]{4})$/i.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const hex = match[1];
  const bytes = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return { address: bytes.join('.'), port: parseInt(match[2], 16) };
}

export interface PeerCandidate {
  readonly name: string;
  readonly pid: number;
}

export interface AcceptedEnds {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
}

/**
 * The candidate that holds the client end of `socket`, or null (another process, or the
 * connection is already gone). Costs one read of /proc/net/tcp and a readlink per candidate fd.
 */
export async function findPeerOwner(
  socket: AcceptedEnds,
  candidates: readonly PeerCandidate[],
): Promise<string | null> {
  if (candidates.length === 0 || !socket.remotePort || !socket.localPort) return null;
  const table = parseProcNetTcp(await readFile('/proc/net/tcp', 'utf8'));
  const entry = table.find(
    (e) =>
      e.localPort === socket.remotePort &&
      e.remotePort === socket.localPort &&
      e.localAddress === stripV4Mapped(socket.remoteAddress) &&
      e.remoteAddress === stripV4Mapped(socket.localAddress),
  );
  if (!entry || entry.inode === 0) return null;

  const target = `socket:[${entry.inode}]`;
  for (const candidate of candidates) {
    if (await holdsSocket(candidate.pid, target)) return candidate.name;
  }
  return null;
}

function stripV4Mapped(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}

async function holdsSocket(pid: number, target: string): Promise<boolean> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  const links = await Promise.all(
    fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')),
  );
  return links.includes(target);
}
