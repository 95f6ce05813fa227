import type { SourceFile } from '../model/workspace.js';

const seen = new WeakMap<SourceFile, Map<string, boolean>>();

/**
 * Whether a file's text contains `needle`, computed once per file and needle: checks that run per
 * document or per resource ask this instead of scanning the whole text again each time (a file
 * with 100k documents would otherwise cost 100k whole-text scans).
 */
export function fileTextIncludes(file: SourceFile, needle: string): boolean {
  if (file.text === undefined) return false;
  let answers = seen.get(file);
  if (!answers) seen.set(file, (answers = new Map()));
  let answer = answers.get(needle);
  if (answer === undefined) answers.set(needle, (answer = file.text.includes(needle)));
  return answer;
}
