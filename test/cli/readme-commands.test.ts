import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';

// Every gitops-lint command the README shows in a code block (shell lines and workflow `run:`
// steps) must be accepted by the argument parser as written, so the README cannot drift from
// the CLI: a renamed or removed option fails here. What each command does is tested where the
// feature is (baseline, stdin, --print-config, build, rules, lsp, --staged…).
const readme = readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** `gitops-lint …` invocations in fenced code blocks, comments and redirections dropped. */
function documentedCommands(): string[] {
  const commands: string[] = [];
  let inBlock = false;
  for (const line of readme.split('\n')) {
    if (line.startsWith('```')) {
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock) continue;
    const match = /^\s*(?:-\s+run:\s+|\$\s+)?gitops-lint(?=\s|$)(.*)$/.exec(line);
    if (!match) continue;
    const args = (match[1] ?? '').replace(/\s#.*$/, '').replace(/\s[<>|].*$/, '').trim();
    commands.push(args);
  }
  return commands;
}

/** Shell words: single and double quotes group, nothing else is interpreted. */
function words(text: string): string[] {
  return [...text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

describe('the README commands', () => {
  const commands = documentedCommands();

  it('are found (the extraction itself works)', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect(commands).toContain('--staged');
    expect(commands).toContain('--format github --format sarif=gitops-lint.sarif .');
  });

  // The synopsis line names placeholders, not options.
  for (const command of commands.filter((args) => !args.includes('[options]'))) {
    it(`parse: gitops-lint ${command}`, () => {
      expect(() => parseCliArgs(words(command))).not.toThrow();
    });
  }
});
