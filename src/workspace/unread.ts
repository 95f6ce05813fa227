import type { Root } from '../model/workspace.js';

/**
 * Whether a root-relative path is, or is inside, a path that exists but was not read (a folder
 * that cannot be read, a symlink out of the root; see `Root.unread`). A run note already says
 * so; a rule must not call such a path missing.
 */
export function isUnread(root: Root, target: string): boolean {
  if (!root.unread) return false;
  for (let at = target; at !== ''; at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '') {
    if (root.unread.has(at)) return true;
  }
  return false;
}
