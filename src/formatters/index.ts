import type { Formatter } from '../model/result.js';
import { compact } from './compact.js';
import { github } from './github.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';

/**
 * Output formats by name, as accepted by `--format NAME`. A null-prototype object so that
 * names such as `constructor` or `__proto__` are not found by accident.
 */
export const formatters: Readonly<Record<string, Formatter>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Formatter>, { stylish, compact, json, sarif, github, junit }),
);

/** Names of the built-in formats, in the order help text lists them. */
export const formatterNames: readonly string[] = Object.keys(formatters);

/**
 * The formats that print no code frame: they never read a result's `sourceLines` or
 * `frameRegion`, so a run printing only these lets `lint` skip the frames' redaction
 * (`LintOptions.frames`).
 */
export const FRAMELESS_FORMATS: ReadonlySet<string> = new Set(['compact', 'json', 'sarif', 'github', 'junit']);

/** The formatter registered under `name`, or `undefined` for an unknown name. */
export function getFormatter(name: string): Formatter | undefined {
  return Object.hasOwn(formatters, name) ? formatters[name] : undefined;
}

export { compact, github, json, junit, sarif, stylish };
export type { Formatter };
