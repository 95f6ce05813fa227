/**
 * Static evaluation of the path arguments of Terraform's file functions (reference
 * VALIDATE-STAGE §1.6 "path.* and file functions"), and fileset's glob patterns.
 */
import type { HclExpr } from './hcl.js';
import type { HclStaticValue } from './hcl-facts.js';
import { resolvePath } from '../engine/collections.js';
import type { TfModule } from './modules.js';

/** Functions that read one file at a path and fail when it does not exist. */
export const FILE_FUNCTIONS = new Set(['file', 'filebase64', 'templatefile', 'filemd5', 'filesha1', 'filesha256', 'filesha512', 'filebase64sha256', 'filebase64sha512']);

export type StaticPath =
  /** A root-relative path (`''` is the root). */
  | { status: 'resolved'; path: string; written: string }
  /** The path leaves the repository. */
  | { status: 'outside'; written: string }
  /** Not known statically (variables, other functions, absolute paths, a child module's working directory). */
  | { status: 'unknown' };

/**
 * Where a path expression points, inside the module's repository. `path.module` is the
 * module's folder; `path.root`, `path.cwd` and relative paths are the root module's folder,
 * which is the module itself unless another module calls it (then it depends on the caller).
 */
export function resolveStaticPath(expr: HclExpr | HclStaticValue | undefined, module: Pick<TfModule, 'dir'>, isChild: boolean): StaticPath {
  if (!expr) return { status: 'unknown' };
  const parts = expr.kind === 'template' ? expr.parts : [expr];
  let base: string | undefined;
  let rest = '';
  let written = '';
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as string | HclExpr | HclStaticValue;
    if (typeof part === 'string') {
      rest += part;
      written += part;
      continue;
    }
    if (part.kind === 'literal' && typeof part.value === 'string') {
      rest += part.value;
      written += part.value;
      continue;
    }
    if (index !== 0 || part.kind !== 'traversal' || part.root !== 'path' || part.attrs.length !== 1) return { status: 'unknown' };
    const attr = part.attrs[0];
    if (attr === 'module') base = module.dir;
    else if ((attr === 'root' || attr === 'cwd') && !isChild) base = module.dir;
    else return { status: 'unknown' };
    written += `\${path.${attr}}`;
  }
  if (base === undefined) {
    // A relative path is read from the working directory: the root module's folder.
    if (rest.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rest) || rest.startsWith('~') || isChild) return { status: 'unknown' };
    base = module.dir;
  }
  // `${path.module}/x` leaves `/x`: the slash joins, it does not make the path absolute.
  const path = resolvePath(base, rest.charCodeAt(0) === 47 ? rest.replace(/^\/+/, '') : rest);
  return path === undefined ? { status: 'outside', written } : { status: 'resolved', path, written };
}

/** A fileset/doublestar glob (`*`, `**`, `?`, `{a,b}`, `[…]`) as an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        out += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      out += `\\${pattern[++i] as string}`;
    } else out += /[.+^$()|\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${out}$`);
}
