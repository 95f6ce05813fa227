/**
 * Secret values in Terraform files, for code frames: quoted values of attributes whose name or
 * value looks like a credential (`password = "…"`), and the `default` of a variable declared
 * `sensitive = true`. Line-based, so it works on files that do not parse.
 */
import { isMaskedValue } from '../engine/credential.js';

const ATTRIBUTE = /^[ \t]*([A-Za-z_][\w-]*)[ \t]*=[ \t]*"((?:[^"\\\n]|\\.)*)"/gm;

export function hclSecretRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(ATTRIBUTE)) {
    const [whole, name = '', value = ''] = match;
    const valueStart = (match.index ?? 0) + whole.length - value.length - 1;
    if (isMaskedValue(name, value)) ranges.push([valueStart, valueStart + value.length]);
  }
  // `variable "x" { … sensitive = true … default = "…" }`: mask the default.
  for (const block of text.matchAll(/^variable\s+"[^"]*"\s*\{[\s\S]*?^\}/gm)) {
    if (!/^\s*sensitive\s*=\s*true\b/m.test(block[0])) continue;
    const inner = /^([ \t]*default[ \t]*=[ \t]*")((?:[^"\\\n]|\\.)*)"/m.exec(block[0]);
    if (!inner) continue;
    const start = (block.index ?? 0) + inner.index + (inner[1] ?? '').length;
    ranges.push([start, start + (inner[2] ?? '').length]);
  }
  return ranges;
}
