import { SandboxCode, SandboxError } from './errors.js';

/**
 * How people and tests name instances and links.
 *
 * An instance is named by its public address (`127.0.0.1:23307`, `localhost:23307`), by its
 * public port alone (`23307`) or by its name (`s2`). A link is `ORIGIN → DESTINATION`: the
 * origin is `orc` (every client that is not one of the sandbox's servers: orc, the write load,
 * a person's `mariadb` client) or an instance, and the destination is an instance.
 */

/** The origin of every connection that does not come from one of the sandbox's servers. */
export const ORC_ORIGIN = 'orc';

/** The loopback host every sandbox address uses. */
export const SANDBOX_HOST = '127.0.0.1';

export interface NamedInstance {
  readonly name: string;
  readonly publicPort: number;
}

/** `127.0.0.1:23306`. */
export function publicAddress(instance: NamedInstance): string {
  return `${SANDBOX_HOST}:${instance.publicPort}`;
}

/**
 * Resolves `ref` to an instance name; throws SANDBOX_UNKNOWN_INSTANCE listing the valid names.
 */
export function resolveInstance(ref: string, instances: readonly NamedInstance[]): string {
  const trimmed = ref.trim();
  const byName = instances.find((i) => i.name === trimmed.toLowerCase());
  if (byName) return byName.name;

  const match = /^(?:(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost):)?(\d{1,5})$/.exec(trimmed);
  const host = match?.[1];
  const loopback = host === undefined || host === 'localhost' || host === SANDBOX_HOST;
  if (match && loopback) {
    const port = Number(match[2]);
    const byPort = instances.find((i) => i.publicPort === port);
    if (byPort) return byPort.name;
  }
  throw new SandboxError(
    SandboxCode.UnknownInstance,
    `unknown instance "${ref}": valid instances are ` +
      instances.map((i) => `${i.name} (${publicAddress(i)})`).join(', '),
    { context: { instance: ref } },
  );
}

/** Resolves a link's origin: `orc` or an instance reference. */
export function resolveOrigin(ref: string, instances: readonly NamedInstance[]): string {
  return ref.trim().toLowerCase() === ORC_ORIGIN ? ORC_ORIGIN : resolveInstance(ref, instances);
}

/** A link between two resolved names. */
export interface LinkKey {
  readonly from: string;
  readonly to: string;
}

/** The map key of a link: `s2>s1`, `orc>s1`. */
export function linkId(link: LinkKey): string {
  return `${link.from}>${link.to}`;
}

/** A link for people: `s2 (127.0.0.1:23307) → s1 (127.0.0.1:23306)`, `orc → s1 (…)`. */
export function describeLink(link: LinkKey, instances: readonly NamedInstance[]): string {
  const label = (name: string): string => {
    const inst = instances.find((i) => i.name === name);
    return inst ? `${name} (${publicAddress(inst)})` : name;
  };
  return `${label(link.from)} → ${label(link.to)}`;
}

/**
 * Resolves both ends of `cut`/`heal`; throws SANDBOX_BAD_OPTIONS for a link from an instance
 * to itself (there is no such link) or with `orc` as the destination.
 */
export function resolveLink(
  from: string,
  to: string,
  instances: readonly NamedInstance[],
): LinkKey {
  if (to.trim().toLowerCase() === ORC_ORIGIN) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `a link ends at a server, not at orc: use "orc ${from}" to cut orc's link to ${from}`,
    );
  }
  const link = { from: resolveOrigin(from, instances), to: resolveInstance(to, instances) };
  if (link.from === link.to) {
    throw new SandboxError(SandboxCode.BadOptions, `${link.from} has no link to itself`);
  }
  return link;
}

/** At most `max` items joined, then "and N more", so a big sandbox's error stays readable. */
export function listSome(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join('; ');
  return items.length > max ? `${shown}; and ${items.length - max} more` : shown;
}
