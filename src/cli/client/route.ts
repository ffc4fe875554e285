/**
 * Route templates of the command table: `begin-downtime/{instance}/{owner}/{reason}/{duration}`,
 * `graceful-master-takeover/{cluster}[/{destination}]`, `tag/{instance}?tag={tag}`. One template
 * both documents the API path a command calls and builds it, so the two cannot drift apart.
 *
 * - `{instance}`, `{destination}` in the path: `host/port` (port from `-D` when not given);
 * - `{instance:raw}`: the `-i` text as typed (a search string, a cluster hint);
 * - `{promotionRule}`: checked against orchestrator's rule names;
 * - any other `{need}`: the value, percent-encoded for its place (path segment or query);
 * - `[…]`: kept only when every value inside is set.
 */
import { OrcError } from '../../common/errors.js';
import { NEEDS, segment, type Inputs, type Need } from './inputs.js';

const PLACEHOLDER = /\{(\w+)(?::(raw))?\}/g;
const OPTIONAL = /\[([^\]]*)\]/g;

function needOf(name: string): Need {
  if (!(name in NEEDS)) throw new OrcError('INTERNAL', `route names unknown value "${name}"`);
  return name as Need;
}

function placeholders(text: string): Need[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => needOf(match[1] ?? ''));
}

/** The values a route cannot do without (placeholders outside `[…]`). */
export function routeNeeds(route: string): Need[] {
  return placeholders(route.replace(OPTIONAL, ''));
}

/** The values a route uses when they are set (placeholders inside `[…]`). */
export function routeOptional(route: string): Need[] {
  return [...route.matchAll(OPTIONAL)].flatMap((match) => placeholders(match[1] ?? ''));
}

/**
 * The path for `inputs`. Throws USAGE (naming `command` and the flag) when a required value is
 * missing or an instance key or promotion rule cannot be read.
 */
export function fillRoute(route: string, inputs: Inputs, command: string): string {
  const chosen = route.replace(OPTIONAL, (_whole, group: string) =>
    placeholders(group).every((need) => inputs.has(need)) ? group : '',
  );
  const query = chosen.indexOf('?');
  const path = query < 0 ? chosen : chosen.slice(0, query);
  const search = query < 0 ? '' : chosen.slice(query);

  const fill = (text: string, inQuery: boolean): string =>
    text.replace(PLACEHOLDER, (_whole, name: string, modifier: string | undefined) => {
      const need = needOf(name);
      if (!inQuery && modifier !== 'raw') {
        if (need === 'instance') return inputs.instancePath(command);
        if (need === 'destination') return inputs.destinationPath(command);
      }
      const value = need === 'promotionRule' ? inputs.promotionRule() : inputs.text(need, command);
      return inQuery ? encodeURIComponent(value) : segment(value);
    });

  return fill(path, false) + fill(search, true);
}
