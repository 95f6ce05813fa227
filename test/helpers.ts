import path from 'node:path';
import { defaultConfig } from '../src/config/load.js';
import { buildModel } from '../src/model/build.js';
import type { RunNote } from '../src/model/finding.js';
import type { Model } from '../src/model/model.js';
import { loadMemoryRoot } from '../src/workspace/load.js';
import { builtinRules } from '../rules/index.js';

/** The model of in-memory roots (`{rootName: {path: text}}`), as rules see it. */
export function modelOf(roots: Record<string, Record<string, string>>): Model {
  const notes: RunNote[] = [];
  const loaded = Object.entries(roots).map(([name, files]) =>
    loadMemoryRoot({ dir: path.join(path.sep, 'virtual', name), name, files }, defaultConfig(builtinRules), notes),
  );
  return buildModel(
    loaded.map((entry) => entry.root),
    loaded.flatMap((entry) => entry.files),
    notes,
  );
}
