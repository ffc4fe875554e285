import { OrcError } from '../common/errors.js';

/**
 * A position in a binary log or relay log: file name and byte offset, as in
 * `SHOW MASTER STATUS` (`mysql-bin.000012`, 4567). File names are a basename and a
 * zero-padded sequence number; positions in files of different basenames cannot be ordered.
 */
export interface BinlogCoordinates {
  readonly file: string;
  readonly pos: number;
}

const FILE = /^([^\s:]+)\.(\d+)$/;
const EXPECTED = 'expected basename.NNNNNN:position, e.g. mysql-bin.000012:4567';

function invalid(value: string, why: string): OrcError {
  return new OrcError(
    'INVALID_BINLOG_COORDINATES',
    `invalid binlog coordinates "${value}": ${why}; ${EXPECTED}`,
    { context: { value } },
  );
}

function splitFile(value: string, file: string): { base: string; digits: string } {
  const m = FILE.exec(file);
  if (!m?.[1] || !m[2]) throw invalid(value, `file "${file}" does not end in .NNNNNN`);
  return { base: m[1], digits: m[2] };
}

/**
 * Builds coordinates from parts. Throws `INVALID_BINLOG_COORDINATES` when the file name has no
 * numeric extension or the position is not a non-negative safe integer.
 */
export function binlogCoordinates(file: string, pos: number): BinlogCoordinates {
  const shown = `${file}:${pos}`;
  splitFile(shown, file);
  if (!Number.isSafeInteger(pos) || pos < 0) {
    throw invalid(shown, `position ${pos} is not a whole number ≥ 0`);
  }
  return { file, pos };
}

/** Reads `file:pos`, e.g. `mysql-bin.000012:4567`; surrounding whitespace is ignored. */
export function parseBinlogCoordinates(text: string): BinlogCoordinates {
  const value = text.trim();
  const at = value.lastIndexOf(':');
  if (at < 0) throw invalid(text, 'there is no ":" before the position');
  const posText = value.slice(at + 1);
  if (!/^\d+$/.test(posText)) throw invalid(text, `position "${posText}" is not a number`);
  return binlogCoordinates(value.slice(0, at), Number(posText));
}

/** `file:pos`; `parseBinlogCoordinates` reads it back unchanged. */
export function formatBinlogCoordinates(c: BinlogCoordinates): string {
  return `${c.file}:${c.pos}`;
}

/** The numeric extension of a binlog file name (`mysql-bin.000012` → 12). */
export function binlogFileSequence(file: string): number {
  return Number(splitFile(file, file).digits);
}

/** The file name before the extension (`mysql-bin.000012` → `mysql-bin`). */
export function binlogFileBasename(file: string): string {
  return splitFile(file, file).base;
}

function withSequence(file: string, next: number): string {
  const { base, digits } = splitFile(file, file);
  return `${base}.${String(next).padStart(digits.length, '0')}`;
}

/**
 * The file the server rotates to after `file`, keeping its zero padding
 * (`mysql-bin.000012` → `mysql-bin.000013`, `mysql-bin.999999` → `mysql-bin.1000000`).
 */
export function nextBinlogFile(file: string): string {
  return withSequence(file, binlogFileSequence(file) + 1);
}

/**
 * The file before `file`, or undefined for sequence 1 and below (there is none; binlog
 * numbering starts at 1).
 */
export function previousBinlogFile(file: string): string | undefined {
  const seq = binlogFileSequence(file);
  return seq <= 1 ? undefined : withSequence(file, seq - 1);
}

/** True when the two coordinates are in files of the same basename, hence ordered. */
export function binlogCoordinatesComparable(a: BinlogCoordinates, b: BinlogCoordinates): boolean {
  return binlogFileBasename(a.file) === binlogFileBasename(b.file);
}

/**
 * Negative, zero or positive as `a` is before, at or after `b`: by file sequence number (as
 * a number, so differing zero padding does not matter), then by position. Throws
 * `BINLOG_NOT_COMPARABLE` when the basenames differ, since such files belong to different
 * logs (another server, or a renamed log) and have no order.
 */
export function compareBinlogCoordinates(a: BinlogCoordinates, b: BinlogCoordinates): number {
  if (!binlogCoordinatesComparable(a, b)) {
    const pair = `${formatBinlogCoordinates(a)} and ${formatBinlogCoordinates(b)}`;
    throw new OrcError(
      'BINLOG_NOT_COMPARABLE',
      `cannot compare binlog coordinates ${pair}: the files have different basenames`,
      { context: { a: formatBinlogCoordinates(a), b: formatBinlogCoordinates(b) } },
    );
  }
  return binlogFileSequence(a.file) - binlogFileSequence(b.file) || a.pos - b.pos;
}

/** True when both name the same position of the same log (zero padding aside); never throws. */
export function binlogCoordinatesEqual(a: BinlogCoordinates, b: BinlogCoordinates): boolean {
  return binlogCoordinatesComparable(a, b) && compareBinlogCoordinates(a, b) === 0;
}
