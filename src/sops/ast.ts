/** Small read-only helpers over `yaml` ASTs that tolerate any malformed input. */
import { isMap, isScalar, type Document, type Pair, type YAMLMap } from 'yaml';

/** Key of a pair as SOPS sees it: scalar keys as strings, anything else `undefined`. */
export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key)) return undefined;
  return key.value == null ? '' : String(key.value);
}

/** The first pair with this key in a mapping node (or `undefined` for any other node). */
export function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap).items.find((pair) => keyText(pair) === key);
}

/** The string value of a scalar node, or `undefined` when it is not a string scalar. */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The top-level `sops` pair of a document, whatever its value. */
export function sopsPair(doc: Document.Parsed): Pair | undefined {
  return pairOf(doc.contents, 'sops');
}

/** `stringData.password`, `database.replicas[0]`: a document path for messages (key names only). */
export function describePath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), '');
}
