/**
 * orchestrator's tag expressions (docs/tags.md, go/inst/tag.go `ParseTag`,
 * `ParseIntersectTags`) and their evaluation over a set of tagged instances. Pure.
 *
 * | expression    | selects instances                                  |
 * |---------------|----------------------------------------------------|
 * | `name`        | tagged `name`, whatever the value                  |
 * | `name=value`  | tagged `name` with exactly `value`                 |
 * | `name=`       | tagged `name` with the empty value                 |
 * | `!name` `~name` | not tagged `name`                                |
 * | `~name=value` | tagged `name` with another value than `value`      |
 * | `a,b`         | selected by both `a` and `b`                       |
 */
import { OrcError } from '../../common/errors.js';
import { COMPAT_BAD_PARAMETER } from './params.js';

/** One parsed term. `value` is undefined when the term names no value. */
export interface TagTerm {
  readonly name: string;
  readonly value: string | undefined;
  readonly negate: boolean;
}

/** One term (`name`, `name=value`, `~name`, `!name=value`, …); throws on an empty name. */
export function parseTagTerm(text: string): TagTerm {
  let rest = text.replaceAll('!', '~').trim();
  const negate = rest.startsWith('~');
  if (negate) rest = rest.slice(1);
  const at = rest.indexOf('=');
  const name = at < 0 ? rest : rest.slice(0, at);
  if (name === '' || name.includes('~')) {
    throw new OrcError(COMPAT_BAD_PARAMETER, `Unable to parse tag: ${text.trim()}`, {
      context: { value: text },
    });
  }
  return { name, value: at < 0 ? undefined : rest.slice(at + 1), negate };
}

/** A comma-separated intersection of terms. */
export function parseTagExpression(text: string): TagTerm[] {
  return text.split(',').map(parseTagTerm);
}

/**
 * The tag a `tag`/`untag`/`tag-value` request names: the `?tag=` query parameter when given
 * (`name` or `name=value`), else the path's `tagName` and `tagValue` (orchestrator `getTag`).
 */
export function requestedTag(
  query: string | undefined,
  path: { tagName?: string | undefined; tagValue?: string | undefined },
): { name: string; value: string | undefined } {
  if (query !== undefined && query !== '') {
    const term = parseTagTerm(query);
    return { name: term.name, value: term.value };
  }
  const name = (path.tagName ?? '').trim();
  if (name === '') {
    throw new OrcError(COMPAT_BAD_PARAMETER, 'NewTag: empty tag name', { context: { value: '' } });
  }
  return { name, value: path.tagValue };
}

/**
 * What evaluating an expression needs to know, as key ids: every known instance (for `~name`),
 * the instances carrying a tag name, and those carrying it with a given value.
 */
export interface TagIndex {
  readonly all: readonly string[];
  withName(name: string): ReadonlySet<string>;
  withValue(name: string, value: string): ReadonlySet<string>;
}

function termSelects(term: TagTerm, index: TagIndex): ReadonlySet<string> {
  const named = index.withName(term.name);
  if (!term.negate)
    return term.value === undefined ? named : index.withValue(term.name, term.value);
  if (term.value === undefined) return new Set(index.all.filter((id) => !named.has(id)));
  const same = index.withValue(term.name, term.value);
  return new Set([...named].filter((id) => !same.has(id)));
}

/** The ids every term selects (their intersection), sorted by `order`. */
export function selectTagged(
  terms: readonly TagTerm[],
  index: TagIndex,
  order: (a: string, b: string) => number,
): string[] {
  let selected: ReadonlySet<string> | undefined;
  for (const term of terms) {
    const these = termSelects(term, index);
    selected =
      selected === undefined ? these : new Set([...selected].filter((id) => these.has(id)));
  }
  return [...(selected ?? [])].sort(order);
}
