/**
 * The `yaml` package prints warnings through `process.emitWarning` (stderr, and the editor's
 * log through the language server) with source text in them, unless told not to: every call
 * that parses must pass `logLevel: 'error'` (issue 10).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(REPO, path.join(entry.parentPath, entry.name)));
}

describe('yaml parser warnings', () => {
  it('every parse with the yaml package is told not to warn (logLevel error)', () => {
    const calls: string[] = [];
    const loud: string[] = [];
    for (const file of [...sources('src'), ...sources('rules')]) {
      const text = readFileSync(path.join(REPO, file), 'utf8');
      const imported = /import\s*\{([^}]*)\}\s*from\s*'yaml'/.exec(text)?.[1] ?? '';
      const names = ['parse', 'parseDocument', 'parseAllDocuments'].filter((name) => new RegExp(`(^|[\\s,])${name}([\\s,]|$)`).test(imported));
      for (const name of names) {
        for (const match of text.matchAll(new RegExp(`(?<![\\w.])${name}\\(([^\\n]*)`, 'g'))) {
          if (/^\s*function\b/.test(text.slice(text.lastIndexOf('\n', match.index) + 1, match.index))) continue;
          calls.push(`${file}: ${name}(`);
          if (!/logLevel|QUIET/.test(match[1]!)) loud.push(`${file}: ${match[0]}`);
        }
      }
    }
    expect(calls.length).toBeGreaterThan(5);
    expect(loud).toEqual([]);
  });
});
