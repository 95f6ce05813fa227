// Lint a folder of real repository checkouts with the built CLI and print the judged table.
//
//   node scripts/real-repos.mjs DIR [--groups FILE] [--judgements FILE] [--cli BIN] [--out DIR2]
//                                   [--only NAME,...] [--unjudged] [--no-run]
//
// DIR holds git checkouts (a folder with `.git`, one or two levels deep, so that several repos
// of the same name can sit in `owner/name` folders and still be linted under the folder name a
// clone would have). When DIR/repos.json exists (`[{dir, repo, commit}]`, `dir` relative to
// DIR), it lists the checkouts and gives each its upstream `owner/name` and commit; otherwise
// every checkout found is used, with the commit of its HEAD.
//
// Each checkout is linted alone (`node BIN --format json --no-color DIR/<dir>`), then each group
// of DIR/groups.json (or --groups FILE: an array of arrays of `dir`s) in one run, so that
// cross-repository references resolve. Every run's findings go to DIR2/<label>.json (default
// DIR2 = DIR/findings; label = the dir with `/` as `__`, or `group-<a>+<b>…`), one object per
// finding with its fingerprint, rule, level, repo, file, line, column, message and, when judged,
// its judgement, so they can be judged by reading the files.
//
// Judgements: DIR/judgements.json (or --judgements FILE) maps a finding fingerprint to
// `{verdict: "true"|"false", why, class, ...}`. The fingerprint hashes the root's folder name,
// not its path, so two checkouts named alike (`a/home-ops`, `b/home-ops`) can share one; a key
// `<dir>#<fingerprint>` judges the finding in that checkout only and wins over the bare one. A judgement that also records `repo`, `rule`,
// `file`, `line` and `column` still applies when a later build changes the finding's message
// (the fingerprint hashes the message): such matches are counted as "by location" under the
// tables. With judgements, the tables add true/false/unjudged counts per repo and per rule.
//
// Output (stdout, markdown; also written to DIR2/summary.md): per repo (and per group), per
// rule over the single-repo runs, and per repo and rule; with judgements, whether each exit 1
// rests on a true error or on false errors only. Counts are findings at each level
// (errors/warnings/notes); suppressed findings are counted apart. --unjudged lists the findings
// without a judgement after the tables. --cli points at another build (default: this
// checkout's bin/gitops-lint.js, so running the script from another worktree lints with that
// worktree's build). --no-run re-reads DIR2 instead of linting again (to re-judge quickly).
//
// Dependency-free on purpose (node: modules only): it must run from any checkout of the
// project, before or after `npm ci`, against any build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

function usage(message) {
  if (message) console.error(message);
  console.error('Usage: node scripts/real-repos.mjs DIR [--groups FILE] [--judgements FILE] [--cli BIN] [--out DIR] [--only NAME,...] [--unjudged] [--no-run]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { dir: undefined, groups: undefined, judgements: undefined, cli: path.join(repoRoot, 'bin', 'gitops-lint.js'), out: undefined, only: undefined, unjudged: false, run: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) usage(`${arg} needs a value`);
      return next;
    };
    if (arg === '--groups') opts.groups = path.resolve(value());
    else if (arg === '--judgements') opts.judgements = path.resolve(value());
    else if (arg === '--cli') opts.cli = path.resolve(value());
    else if (arg === '--out') opts.out = path.resolve(value());
    else if (arg === '--only') opts.only = value().split(',').filter(Boolean);
    else if (arg === '--unjudged') opts.unjudged = true;
    else if (arg === '--no-run') opts.run = false;
    else if (arg === '-h' || arg === '--help') usage();
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (opts.dir === undefined) opts.dir = path.resolve(arg);
    else usage(`unexpected argument ${arg}`);
  }
  if (opts.dir === undefined) usage('DIR is required');
  opts.groups ??= path.join(opts.dir, 'groups.json');
  opts.judgements ??= path.join(opts.dir, 'judgements.json');
  opts.out ??= path.join(opts.dir, 'findings');
  return opts;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const isDir = (p) => existsSync(p) && statSync(p).isDirectory();

function git(dir, ...args) {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The checkouts: repos.json when present, else folders with `.git` one or two levels deep. */
function findCheckouts(dir, out) {
  const listed = path.join(dir, 'repos.json');
  if (existsSync(listed)) {
    return readJson(listed).map((r) => ({ dir: r.dir, repo: r.repo ?? r.dir, commit: r.commit ?? git(path.join(dir, r.dir), 'rev-parse', 'HEAD') }));
  }
  const found = [];
  const visit = (rel, depth) => {
    const abs = path.join(dir, rel);
    if (path.resolve(abs) === path.resolve(out)) return;
    if (rel !== '' && isDir(path.join(abs, '.git'))) {
      found.push({ dir: rel, repo: rel, commit: git(abs, 'rev-parse', 'HEAD') });
      return;
    }
    if (depth >= 2) return;
    for (const name of readdirSync(abs).sort()) {
      if (!name.startsWith('.') && isDir(path.join(abs, name))) visit(rel === '' ? name : `${rel}/${name}`, depth + 1);
    }
  };
  visit('', 0);
  return found;
}

const labelOf = (dirs) => (dirs.length === 1 ? dirs[0].replaceAll('/', '__') : `group-${dirs.map((d) => d.replaceAll('/', '__')).join('+')}`);

/** One CLI run over `dirs` (linted together), parsed, with each finding's checkout. */
function lintRun(opts, dirs) {
  const args = [opts.cli, '--format', 'json', '--no-color', ...dirs.map((d) => path.join(opts.dir, d))];
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: opts.dir, encoding: 'utf8', maxBuffer: 1 << 30, timeout: 600_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let parsed;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    return { dirs, exitCode: r.status, seconds, failure: (r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(0, 5).join(' | '), findings: [], notes: [], errors: [] };
  }
  // A finding's location.root is its root's directory; name the checkout by its path in DIR.
  const checkoutOf = (rootDir) => path.relative(opts.dir, rootDir).split(path.sep).join('/');
  const findings = parsed.findings.map((f) => ({
    fingerprint: f.fingerprint,
    rule: f.ruleId,
    level: f.level,
    repo: checkoutOf(f.location.root),
    file: f.location.file,
    line: f.location.startLine,
    column: f.location.startColumn,
    message: f.message,
    resource: f.resource ? `${f.resource.kind}/${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}` : undefined,
    suppressed: f.suppressions !== undefined && f.suppressions.length > 0 ? true : undefined,
  }));
  return { dirs, exitCode: r.status, seconds, fileCount: parsed.fileCount, findings, notes: parsed.notes.map((n) => n.message), errors: parsed.errors.map((e) => e.message) };
}

/** Look a finding up: by fingerprint, else by the location recorded with a judgement. */
function makeJudge(judgements) {
  const byLocation = new Map();
  for (const [fingerprint, j] of Object.entries(judgements)) {
    if (j.repo && j.rule && j.file && j.line) byLocation.set(`${j.repo}|${j.rule}|${j.file}|${j.line}|${j.column ?? ''}`, { ...j, fingerprint });
  }
  return (f) => {
    const direct = judgements[`${f.repo}#${f.fingerprint}`] ?? judgements[f.fingerprint];
    if (direct) return { ...direct, how: 'fingerprint' };
    const moved = byLocation.get(`${f.repo}|${f.rule}|${f.file}|${f.line}|${f.column}`);
    return moved ? { ...moved, how: 'location' } : undefined;
  };
}

function emptyCount() {
  return { error: 0, warning: 0, note: 0, suppressed: 0, true: 0, false: 0, unjudged: 0, byLocation: 0, trueErrors: 0 };
}

function add(count, finding) {
  if (finding.suppressed) {
    count.suppressed++;
    return;
  }
  count[finding.level] = (count[finding.level] ?? 0) + 1;
  const j = finding.judgement;
  if (j === undefined) count.unjudged++;
  else {
    count[j.verdict === 'true' ? 'true' : 'false']++;
    if (j.verdict === 'true' && finding.level === 'error') count.trueErrors++;
    if (j.how === 'location') count.byLocation++;
  }
}

const total = (c) => c.error + c.warning + c.note;
const pct = (c) => (c.true + c.false === 0 ? '–' : `${Math.round((100 * c.true) / (c.true + c.false))}%`);

function row(cells) {
  return `| ${cells.join(' | ')} |`;
}

function table(headers, rows) {
  return [row(headers), row(headers.map((h) => (/^(repo|rule|run|commit)$/.test(h) ? '---' : '---:'))), ...rows.map(row)].join('\n');
}

function report(opts, checkouts, runs, judged) {
  const lines = [];
  const meta = new Map(checkouts.map((c) => [c.dir, c]));
  const judgedCols = judged ? ['true', 'false', 'unjudged', '% true'] : [];
  // Does the exit code rest on a true error, or only on false ones (or unjudged ones)?
  const exitCell = (exitCode, c) => (!judged || exitCode !== 1 ? [] : [c.trueErrors > 0 ? `${c.trueErrors} true error${c.trueErrors === 1 ? '' : 's'}` : c.unjudged > 0 ? 'unjudged' : '**false errors only**']);
  const judgedCells = (c) => (judged ? [c.true, c.false, c.unjudged, pct(c)] : []);
  const levelCells = (c) => [total(c), c.error, c.warning, c.note];
  const solo = runs.filter((r) => r.dirs.length === 1);
  const groups = runs.filter((r) => r.dirs.length > 1);

  lines.push(`CLI: \`${opts.cli}\`${judged ? ` · judgements: \`${opts.judgements}\`` : ''}`, '');
  lines.push('### Per repository (each linted alone; groups linted together)', '');
  const repoRows = [];
  const sum = emptyCount();
  for (const run of [...solo, ...groups]) {
    const c = emptyCount();
    for (const f of run.findings) add(c, f);
    if (run.dirs.length === 1) for (const f of run.findings) add(sum, f);
    const name = run.dirs.length === 1 ? (meta.get(run.dirs[0])?.repo ?? run.dirs[0]) : `group: ${run.dirs.join(' + ')}`;
    const commit = run.dirs.map((d) => (meta.get(d)?.commit ?? '').slice(0, 10)).join(' ');
    const exit = `${run.exitCode ?? '–'}${judged && run.exitCode === 1 ? ` (${exitCell(run.exitCode, c)[0]})` : ''}`;
    repoRows.push([run.failure ? `${name} (**run failed**: ${run.failure})` : name, commit, exit, ...levelCells(c), ...judgedCells(c)]);
  }
  repoRows.push(['**total (single-repo runs)**', '', '', ...levelCells(sum), ...judgedCells(sum)]);
  lines.push(table(['repo', 'commit', 'exit', 'findings', 'errors', 'warnings', 'notes', ...judgedCols], repoRows), '');
  if (judged) {
    const falseExits = solo.filter((r) => r.exitCode === 1 && exitCell(1, r.findings.reduce((c, f) => (add(c, f), c), emptyCount()))[0] === '**false errors only**');
    lines.push(`Single-repo runs that exit 1 only through false errors: ${falseExits.length} of ${solo.filter((r) => r.exitCode === 1).length}${falseExits.length ? ` (${falseExits.map((r) => r.dirs[0]).join(', ')})` : ''}.`, '');
  }

  const byRule = new Map();
  for (const run of solo) for (const f of run.findings) add(byRule.get(f.rule) ?? byRule.set(f.rule, emptyCount()).get(f.rule), f);
  lines.push('### Per rule (single-repo runs)', '');
  const ruleRows = [...byRule.entries()].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0])).map(([rule, c]) => [rule, ...levelCells(c), ...judgedCells(c)]);
  lines.push(table(['rule', 'findings', 'errors', 'warnings', 'notes', ...judgedCols], ruleRows), '');

  lines.push('### Per repository and rule', '');
  const detail = [];
  for (const run of [...solo, ...groups]) {
    const counts = new Map();
    for (const f of run.findings) add(counts.get(f.rule) ?? counts.set(f.rule, emptyCount()).get(f.rule), f);
    const name = run.dirs.length === 1 ? run.dirs[0] : `group: ${run.dirs.join(' + ')}`;
    for (const [rule, c] of [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) detail.push([name, rule, ...levelCells(c), ...judgedCells(c)]);
  }
  lines.push(table(['repo', 'rule', 'findings', 'errors', 'warnings', 'notes', ...judgedCols], detail), '');

  const suppressed = runs.reduce((n, r) => n + r.findings.filter((f) => f.suppressed).length, 0);
  const located = runs.reduce((n, r) => n + r.findings.filter((f) => f.judgement?.how === 'location').length, 0);
  if (suppressed) lines.push(`Suppressed findings (not counted above): ${suppressed}.`);
  if (located) lines.push(`Judgements matched by location because the fingerprint changed (new message): ${located}.`);
  const failed = runs.filter((r) => r.failure);
  if (failed.length) lines.push(`Runs that failed: ${failed.map((r) => r.dirs.join('+')).join(', ')}.`);

  if (opts.unjudged && judged) {
    const seen = new Set();
    const open = [];
    for (const run of runs) {
      for (const f of run.findings) {
        const key = `${f.repo}#${f.fingerprint}`;
        if (f.suppressed || f.judgement || seen.has(key)) continue;
        seen.add(key);
        open.push(f);
      }
    }
    lines.push('', `### Unjudged findings (${open.length})`, '');
    for (const f of open) lines.push(`- \`${f.fingerprint}\` ${f.repo}/${f.file}:${f.line}:${f.column} ${f.level} [${f.rule}] ${f.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!isDir(opts.dir)) usage(`${opts.dir} is not a folder`);
  if (opts.run && !existsSync(opts.cli)) usage(`${opts.cli} does not exist: build it with npm run bundle, or pass --cli`);
  const checkouts = findCheckouts(opts.dir, opts.out);
  const known = new Set(checkouts.map((c) => c.dir));
  const groups = existsSync(opts.groups) ? readJson(opts.groups) : [];
  for (const g of groups) for (const d of g) if (!known.has(d)) usage(`group member ${d} is not a checkout in ${opts.dir}`);
  const selected = (dirs) => opts.only === undefined || dirs.some((d) => opts.only.includes(d));
  const plan = [...checkouts.map((c) => [c.dir]), ...groups].filter(selected);

  const judgements = existsSync(opts.judgements) ? readJson(opts.judgements) : undefined;
  const judge = judgements ? makeJudge(judgements) : () => undefined;
  mkdirSync(opts.out, { recursive: true });

  const runs = [];
  for (const dirs of plan) {
    const file = path.join(opts.out, `${labelOf(dirs)}.json`);
    let run;
    if (opts.run) {
      process.stderr.write(`lint ${dirs.join(' + ')} … `);
      run = lintRun(opts, dirs);
      process.stderr.write(`${run.failure ? 'failed' : `${run.findings.length} findings`} (${run.seconds.toFixed(2)} s)\n`);
    } else if (existsSync(file)) {
      run = readJson(file);
    } else {
      usage(`--no-run: ${file} is missing`);
    }
    for (const f of run.findings) {
      const j = judge(f);
      f.judgement = j === undefined ? undefined : { verdict: j.verdict, class: j.class, why: j.why, how: j.how };
    }
    writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
    runs.push(run);
  }
  const text = report(opts, checkouts, runs, judgements !== undefined);
  writeFileSync(path.join(opts.out, 'summary.md'), text);
  process.stdout.write(text);
}

main();
