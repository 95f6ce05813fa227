import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** Symlink hops followed before giving up (Linux's own limit). */
const MAX_LINKS = 40;

export type Confined = { path: string } | { escapes: true };

/**
 * Resolve `target` inside `boundary` without touching anything outside it: each component
 * below the boundary is lstat'ed, a symlink is read and its target checked *before* it is
 * followed. Unlike `realpath`, a link that points outside is never stat'ed or opened, so a
 * cloned repository cannot make the linter read a local file through it. A missing file
 * resolves to its path (the caller's read fails as usual).
 */
export function resolveInside(boundary: string, target: string): Confined {
  const root = path.resolve(boundary);
  // A link may name the root by its real path (the root was given through a symlink).
  let real: string | undefined;
  const rebase = (candidate: string): string | undefined => {
    if (isInside(root, candidate)) return candidate;
    real ??= realRoot(root);
    return isInside(real, candidate) ? path.join(root, path.relative(real, candidate)) : undefined;
  };
  let pending = path.resolve(target);
  if (!isInside(root, pending)) return { escapes: true };
  let current = root;
  let rest = parts(path.relative(root, pending));
  for (let links = 0; rest.length > 0; ) {
    const next = path.join(current, rest.shift() as string);
    let isLink: boolean;
    try {
      isLink = lstatSync(next).isSymbolicLink();
    } catch {
      return { path: path.join(next, ...rest) };
    }
    if (!isLink) {
      current = next;
      continue;
    }
    if (++links > MAX_LINKS) return { escapes: true };
    // `current` has no symlink in it, so resolving the link text against it is what the kernel does.
    const inside = rebase(path.resolve(current, readlinkSync(next)));
    if (inside === undefined) return { escapes: true };
    pending = inside;
    current = root;
    rest = [...parts(path.relative(root, pending)), ...rest];
  }
  return { path: current };
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

function parts(relative: string): string[] {
  return relative.split(path.sep).filter((part) => part !== '' && part !== '.');
}

export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * How config errors name the folder a config's paths must stay in (`extends`, `baseline`,
 * `policies`): `outside repo, the folder of the config; it is not read`.
 */
export function outsideConfigFolder(boundary: string): string {
  return `outside ${path.basename(boundary) || boundary}, the folder of the config; it is not read`;
}
