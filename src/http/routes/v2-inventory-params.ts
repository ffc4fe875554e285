/**
 * Path parameters of the v2 inventory routes and how they are read: an instance is
 * `host:port` (the port may be omitted), a cluster is a name, an alias or a member's address.
 * Malformed values are 400 INVALID_ARGUMENT.
 */
import { Type } from 'typebox';
import { describeError, OrcError } from '../../common/errors.js';
import { parseInstanceKey, type InstanceKey } from '../../topology/index.js';
import { parseSimpleDuration } from '../compat/params.js';

export const InstanceParams = Type.Object({
  instance: Type.String({ description: '`host:port` (`[ipv6]:port`); the port may be omitted.' }),
});

export const ClusterParams = Type.Object({
  cluster: Type.String({ description: 'Cluster name, alias, or the `host:port` of a member.' }),
});

export const TagParams = Type.Object({
  ...InstanceParams.properties,
  name: Type.String({ minLength: 1, description: 'The tag name.' }),
});

/** The key of an `:instance` parameter; INVALID_ARGUMENT when it is not one. */
export function v2Key(text: string, defaultPort: number): InstanceKey {
  try {
    return parseInstanceKey(text, defaultPort);
  } catch (err) {
    throw new OrcError('INVALID_ARGUMENT', describeError(err), {
      cause: err,
      context: { instance: text },
    });
  }
}

/** Milliseconds of a `45m`-style duration (absent: 0, the default); INVALID_ARGUMENT if bad. */
export function v2DurationMs(text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parseSimpleDuration(text.trim());
  } catch (err) {
    const message =
      `invalid duration "${text}": expected a whole number and a unit of s, m, h, d or w ` +
      '(45m, 4h, 6d)';
    throw new OrcError('INVALID_ARGUMENT', message, { cause: err, context: { duration: text } });
  }
}
