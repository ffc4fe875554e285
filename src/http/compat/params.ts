/**
 * Parameters of orchestrator's API paths, read the way orchestrator reads them and refused
 * with its wording (`Invalid port: x`, `Cannot parse simple time: x`), so that scripts matching
 * on messages keep working. Pure.
 */
import { OrcError } from '../../common/errors.js';
import {
  formatInstanceKey,
  instanceKey,
  parseInstanceKey,
  type InstanceKey,
} from '../../topology/index.js';

/** Code of every refusal here: a bad path or query parameter. */
export const COMPAT_BAD_PARAMETER = 'INVALID_ARGUMENT';

function bad(message: string, value: string): OrcError {
  return new OrcError(COMPAT_BAD_PARAMETER, message, { context: { value } });
}

/**
 * The key of `/:host/:port`. The port must be a whole number (orchestrator: `Invalid port`);
 * the host a host name or address.
 */
export function keyFromPath(host: string, port: string): InstanceKey {
  if (!/^\d{1,5}$/.test(port.trim())) throw bad(`Invalid port: ${port}`, port);
  try {
    return instanceKey(host, Number(port.trim()));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new OrcError(COMPAT_BAD_PARAMETER, message, { cause: err, context: { value: host } });
  }
}

/** A key written `host:port` (or `host`, taking `defaultPort`), as in a cluster hint. */
export function keyFromText(text: string, defaultPort: number): InstanceKey | undefined {
  try {
    return parseInstanceKey(text, defaultPort);
  } catch {
    return undefined;
  }
}

/** `host:port` as orchestrator prints a key in messages (`%+v` of an InstanceKey). */
export function keyText(key: InstanceKey): string {
  return formatInstanceKey(key);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * orchestrator's `SimpleTimeToSeconds`: a whole number and one unit of `s`, `m`, `h`, `d`, `w`
 * (`45m`, `4h`, `6d`); returns milliseconds. Anything else (a bare number, `1h30m`) is refused.
 */
export function parseSimpleDuration(text: string): number {
  const m = /^(\d+)([smhdw])$/.exec(text);
  const unit = m?.[2] === undefined ? undefined : UNIT_SECONDS[m[2]];
  if (m?.[1] === undefined || unit === undefined) {
    throw bad(`Cannot parse simple time: ${text}`, text);
  }
  return Number(m[1]) * unit * 1000;
}

/** The audit page of `/:page`: a non-negative whole number, anything else page 0. */
export function parsePage(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text)) return 0;
  return Math.min(Number(text), Number.MAX_SAFE_INTEGER);
}
