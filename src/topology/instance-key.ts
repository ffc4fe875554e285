import { OrcError } from '../common/errors.js';

/**
 * The address orc uses to reach one MySQL/MariaDB server: a host name or IP address and a TCP
 * port. Keys built by this module are normalised (host in lower case, IPv6 without brackets),
 * so two keys name the same address exactly when their fields are equal.
 *
 * A key is a name, not an identity: the same server may be reached under several keys
 * (hostname, IP, report_host). Identity is confirmed with server_id/server_uuid (instance.ts).
 */
export interface InstanceKey {
  readonly host: string;
  readonly port: number;
}

const EXPECTED = 'expected host:port, host, or [ipv6]:port';
const HOSTNAME = /^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const ZONE = /^[a-z0-9_.-]+$/;

function invalid(value: string, why: string): OrcError {
  return new OrcError(
    'INVALID_INSTANCE_KEY',
    `invalid instance key "${value}": ${why}; ${EXPECTED}`,
    { context: { value } },
  );
}

function checkPort(value: string, port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid(value, `port ${port} is not between 1 and 65535`);
  }
  return port;
}

function parsePort(value: string, text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw invalid(value, `port "${text}" is not a number`);
  return checkPort(value, Number(text));
}

function isIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/** RFC 4291 text forms: eight groups, or fewer around one `::`, optional IPv4 tail and zone. */
function isIpv6(text: string): boolean {
  const [address = '', zone, ...more] = text.split('%');
  if (more.length > 0 || (zone !== undefined && !ZONE.test(zone))) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const last = groups[groups.length - 1];
  const v4 = last !== undefined && last.includes('.');
  if (v4 && !isIpv4(last)) return false;
  const hex = v4 ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => HEX_GROUP.test(g))) return false;
  const width = hex.length + (v4 ? 2 : 0);
  return halves.length === 2 ? width <= 7 : width === 8;
}

function checkHost(value: string, host: string): string {
  const lower = host.toLowerCase();
  if (lower === '') throw invalid(value, 'host is empty');
  const ok = lower.includes(':') ? isIpv6(lower) : HOSTNAME.test(lower);
  if (!ok) throw invalid(value, `host "${host}" is not a valid host name or IP address`);
  return lower;
}

/**
 * Builds a normalised key from parts. Throws `INVALID_INSTANCE_KEY` when the host is not a
 * host name (letters, digits, `.`, `-`, `_`), an IPv4 or an IPv6 address, or the port is
 * outside 1–65535.
 */
export function instanceKey(host: string, port: number): InstanceKey {
  const shown = `${host}:${port}`;
  return { host: checkHost(shown, host.trim()), port: checkPort(shown, port) };
}

/**
 * Reads `host:port`, `host` (taking `defaultPort`), `[ipv6]:port` or `[ipv6]`. A bare IPv6
 * address such as `::1` is read as a host with `defaultPort`: a port after an IPv6 address
 * needs the brackets, because `fe80::1:3306` cannot be split safely. Surrounding whitespace is
 * ignored. Throws `INVALID_INSTANCE_KEY` quoting the value on anything else.
 */
export function parseInstanceKey(text: string, defaultPort: number): InstanceKey {
  const value = text.trim();
  if (value === '') throw invalid(text, 'it is empty');

  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) throw invalid(text, 'the "[" of an IPv6 address is not closed');
    const host = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (!host.includes(':')) throw invalid(text, `"${host}" in brackets is not an IPv6 address`);
    if (rest === '') return { host: checkHost(text, host), port: checkPort(text, defaultPort) };
    if (!rest.startsWith(':')) throw invalid(text, `unexpected "${rest}" after "]"`);
    return { host: checkHost(text, host), port: parsePort(text, rest.slice(1)) };
  }

  const colons = value.split(':').length - 1;
  if (colons !== 1) return { host: checkHost(text, value), port: checkPort(text, defaultPort) };
  const at = value.indexOf(':');
  return { host: checkHost(text, value.slice(0, at)), port: parsePort(text, value.slice(at + 1)) };
}

/** `host:port`, with IPv6 hosts in brackets; `parseInstanceKey` reads it back unchanged. */
export function formatInstanceKey(key: InstanceKey): string {
  return key.host.includes(':') ? `[${key.host}]:${key.port}` : `${key.host}:${key.port}`;
}

/**
 * A string naming the key, usable as a Map key and in stored rows; equal for equal keys and
 * stable across releases (it is the formatted key).
 */
export function instanceKeyId(key: InstanceKey): string {
  return formatInstanceKey(key);
}

/** True when both keys name the same address (keys from this module are normalised). */
export function instanceKeysEqual(a: InstanceKey, b: InstanceKey): boolean {
  return a.host === b.host && a.port === b.port;
}

/** Orders keys by host, then port: a total order for stable listings. */
export function compareInstanceKeys(a: InstanceKey, b: InstanceKey): number {
  if (a.host !== b.host) return a.host < b.host ? -1 : 1;
  return a.port - b.port;
}
