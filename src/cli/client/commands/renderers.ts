/**
 * The output shapes orchestrator-client uses again and again, named once so the command table
 * reads as "which path, which shape".
 */
import { details, keyOf, keysOf, lines, list, obj, raw, relocation, type Json } from '../format.js';
import type { Inputs } from '../inputs.js';

/** One `host:port` per line from an array of Instances or keys. */
export const keys = (answer: Json): string => lines(keysOf(answer));

/** One `host:port` per line from the envelope's `Details` list. */
export const detailsKeys = (answer: Json): string => lines(keysOf(details(answer)));

/**
 * The instance an operation touched: the envelope's `Details` key (an Instance or a key),
 * else the `-i` the user gave. Mutations print this.
 */
export const affected = (answer: Json, inputs: Inputs): string =>
  keyOf(details(answer)) ?? inputs.instanceKey();

/** `Details` raw (`jq -r .`). */
export const detailsRaw = (answer: Json): string => raw(details(answer));

/** `Details` as text lines (a list of strings). */
export const detailsLines = (answer: Json): string => lines(list(details(answer)).map(raw));

/** The answer itself raw: a string unquoted, JSON otherwise. */
export const answerRaw = (answer: Json): string => raw(answer);

/** The answer's `Details` ASCII drawing (topology commands). */
export const drawing = (answer: Json): string => raw(details(answer)).replace(/\n+$/, '');

/** `replica<master` of the moved instance in `Details`. */
export const moved = (answer: Json): string => relocation(details(answer));

/** The `SuccessorKey` of a recovery in `Details` (takeovers and failovers). */
export const successor = (answer: Json): string => keyOf(obj(details(answer))?.SuccessorKey) ?? '';
