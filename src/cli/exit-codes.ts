import { OrcError } from '../common/errors.js';

/** Exit code 2: the user's input (flags, configuration) was wrong. 1: the operation failed. */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** Error codes that mean "your input was wrong" rather than "the operation failed". */
const usageCodes = new Set([
  'CONFIG_INVALID',
  'CONFIG_UNREADABLE',
  'USAGE',
  'SANDBOX_BAD_OPTIONS',
  'SANDBOX_UNKNOWN_INSTANCE',
  'SANDBOX_NOT_FOUND',
]);

export function exitCodeFor(err: unknown): number {
  if (err instanceof OrcError && usageCodes.has(err.code)) return EXIT_USAGE;
  return EXIT_FAILURE;
}
