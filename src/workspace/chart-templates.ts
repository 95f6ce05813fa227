import path from 'node:path';
import type { RunNote } from '../model/finding.js';

/** The file that makes a folder a Helm chart (Helm's loader looks for exactly this name). */
const CHART_FILE = 'Chart.yaml';

/**
 * Helm chart templates among a root's files: Go templates that Helm renders, so nothing
 * applies them as written and the linter cannot know what they become. A file is one when it
 * is below the `templates/` folder of a chart (a folder holding `Chart.yaml`; nested charts
 * under `charts/<sub>/` hold their own), or when it is a `*.tpl` file. The chart's
 * `Chart.yaml`, `values.yaml` and `crds/` are plain YAML and are not templates.
 *
 * Returns each template's root-relative path with its chart's folder (`''` for the root),
 * or `undefined` for a `*.tpl` file in no chart. One pass over the paths, and a walk up
 * each template's folders.
 */
export function chartTemplates(paths: readonly string[]): Map<string, string | undefined> {
  // Indexed, and names compared in place: no copy of the list, no slice per path or folder name.
  const charts = new Set<string>();
  let tpl = false;
  for (let index = 0; index < paths.length; index++) {
    const file = paths[index]!;
    if (isTpl(file)) tpl = true;
    const slash = file.lastIndexOf('/');
    if (file.length - slash - 1 === CHART_FILE.length && file.endsWith(CHART_FILE)) charts.add(slash === -1 ? '' : file.slice(0, slash));
  }
  const templates = new Map<string, string | undefined>();
  if (charts.size === 0 && !tpl) return templates;
  for (let index = 0; index < paths.length; index++) {
    const file = paths[index]!;
    const chart = chartOfTemplate(file, charts);
    if (chart !== undefined) templates.set(file, chart);
    else if (isTpl(file)) templates.set(file, enclosingChart(file, charts));
  }
  return templates;
}

function isTpl(file: string): boolean {
  return file.endsWith('.tpl');
}

const TEMPLATES = 'templates';

/** The chart whose `templates/` folder holds `file` (the outermost, when templates nest). */
function chartOfTemplate(file: string, charts: ReadonlySet<string>): string | undefined {
  if (charts.size === 0) return undefined;
  let start = 0;
  for (let slash = file.indexOf('/'); slash !== -1; start = slash + 1, slash = file.indexOf('/', start)) {
    if (slash - start !== TEMPLATES.length || !file.startsWith(TEMPLATES, start)) continue;
    const chart = start === 0 ? '' : file.slice(0, start - 1);
    if (charts.has(chart)) return chart;
  }
  return undefined;
}

/** The nearest folder above `file` that holds a `Chart.yaml`. */
function enclosingChart(file: string, charts: ReadonlySet<string>): string | undefined {
  for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
    const dir = file.slice(0, slash);
    if (charts.has(dir)) return dir;
  }
  return charts.has('') ? '' : undefined;
}

/**
 * One run note per chart whose templates were left out, pointing at its `Chart.yaml`.
 * A `*.tpl` file in no chart gets none: the linter never reads such files anyway.
 */
export function chartTemplateNotes(dir: string, templates: ReadonlyMap<string, string | undefined>): RunNote[] {
  const charts = new Set<string>();
  for (const chart of templates.values()) if (chart !== undefined) charts.add(chart);
  return [...charts].sort().map((chart) => ({
    message: `Helm chart templates in ${chart === '' ? '.' : chart} are rendered by Helm and were not linted.`,
    file: path.join(dir, ...(chart === '' ? [] : chart.split('/')), CHART_FILE),
  }));
}
