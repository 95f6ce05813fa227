// npm run bench: generate synthetic GitOps workspaces and time the CLI on them as whole
// processes (Node start-up included), with CPU time and peak RSS from GNU time. Prints one table.
// Two variants per size: `clean` (every reference resolves, SOPS files match .sops.yaml), the
// common case on every commit, and `findings`, where one file in ten has a finding (a mutable
// image tag, a plaintext Secret value or a broken reference), so the cost of files that need
// positions, code frames and masking is measured too.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');
// BENCH_BIN times another build of the CLI (an older checkout's bin/gitops-lint.js) on the same workspaces.
const bin = process.env.BENCH_BIN ? path.resolve(process.env.BENCH_BIN) : path.join(repoRoot, 'bin', 'gitops-lint.js');
const sizes = (process.env.BENCH_SIZES ?? '200,2000,20000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const variants = (process.env.BENCH_VARIANTS ?? 'clean,findings').split(',');

const enc = (n) => `ENC[AES256_GCM,data:${Buffer.from(`value-${n}`).toString('base64')},iv:${'A'.repeat(43)}=,tag:${'B'.repeat(22)}==,type:str]`;
const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

const deployment = (name, secret, config, tag = '1.4.2') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/${name}:${tag}
          imagePullPolicy: IfNotPresent
          env:
            - name: MODE
              value: production
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: ${secret}, key: password}
          envFrom:
            - configMapRef: {name: ${config}}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
`;

const helmRelease = (name) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
spec:
  interval: 10m
  chart:
    spec:
      chart: app
      version: "1.3.0"
      sourceRef:
        kind: HelmRepository
        name: charts
        namespace: flux-system
  values:
    image:
      repository: ghcr.io/acme/${name}
      tag: "2.1.1"
      pullPolicy: IfNotPresent
    env:
      - name: LOG_LEVEL
        value: info
    resources:
      limits: {memory: 256Mi}
`;

/** A Secret a kustomization applies with its value in plain text (sops-secret-encrypted). */
const plaintextSecret = (name) => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
type: Opaque
stringData:
  password: hunter2-${name}
  username: admin
`;

const secret = (name) => `apiVersion: v1
kind: Secret
metadata:
    name: ${name}
type: Opaque
stringData:
    password: ${enc(name)}
    username: ${enc(`${name}-user`)}
sops:
    age:
        - recipient: ${RECIPIENT}
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBhYmNkZWZnaGlqa2xtbm9w
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2026-11-01T10:00:00Z"
    mac: ${enc(`${name}-mac`)}
    encrypted_regex: ^(data|stringData)$
    version: 3.10.2
`;

const configAndService = (name, app) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
---
apiVersion: v1
kind: Service
metadata:
  name: ${app}
spec:
  selector: {app: ${app}}
  ports:
    - port: 80
      targetPort: 8080
`;

const cronJob = (name) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: task
              image: ghcr.io/acme/${name}:0.9.1
`;

/**
 * Nine files per kustomize folder whose references all resolve within the folder; with
 * `findings`, one of them has a finding, in turn a mutable image tag, a plaintext Secret value
 * and a reference to a Secret that does not exist.
 */
const folderFiles = (f, findings) => {
  const flaw = findings ? f % 3 : -1;
  return [
    deployment(`app-${f}-a`, `db-${f}-a`, `config-${f}-a`, flaw === 0 ? 'latest' : undefined),
    helmRelease(`release-${f}-a`),
    cronJob(`task-${f}`),
    secret(`db-${f}-a`),
    configAndService(`config-${f}-a`, `app-${f}-a`),
    deployment(`app-${f}-b`, flaw === 2 ? `db-${f}-missing` : `db-${f}-b`, `config-${f}-b`),
    helmRelease(`release-${f}-b`),
    configAndService(`config-${f}-b`, `app-${f}-b`),
    flaw === 1 ? plaintextSecret(`db-${f}-b`) : secret(`db-${f}-b`),
  ];
};

/** A cluster repo applying its own apps/ folders, as `flux bootstrap` lays it out. */
function generate(dir, count, findings = false) {
  mkdirSync(path.join(dir, 'clusters'), { recursive: true });
  const folders = Math.ceil((count - 3) / 10);
  const kustomizations = [];
  for (let f = 0; f < folders; f++) {
    const folderDir = path.join(dir, 'apps', `app-${f}`);
    mkdirSync(folderDir, { recursive: true });
    const names = [];
    folderFiles(f, findings).forEach((text, j) => {
      const name = `res-${j}.yaml`;
      writeFileSync(path.join(folderDir, name), text);
      names.push(name);
    });
    writeFileSync(path.join(folderDir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ns-${f % 20}\nresources:\n${names.map((n) => `  - ${n}`).join('\n')}\n`);
    kustomizations.push(`apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app-${f}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/app-${f}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  decryption:
    provider: sops
    secretRef:
      name: sops-age
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
`);
  }
  writeFileSync(path.join(dir, 'clusters', 'apps.yaml'), kustomizations.join('---\n'));
  writeFileSync(path.join(dir, 'clusters', 'sources.yaml'), `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com/acme/bench-cluster
  ref:
    branch: main
  secretRef:
    name: flux-system
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  interval: 1h
  url: https://charts.example.invalid
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  CLUSTER_DOMAIN: cluster.local
`);
  writeFileSync(path.join(dir, '.sops.yaml'), `creation_rules:\n  - path_regex: apps/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: ${RECIPIENT}\n`);
  writeFileSync(path.join(dir, '.gitops-lint.yaml'), 'externalSecrets:\n  - name: sops-age\n    namespace: flux-system\n  - name: flux-system\n    namespace: flux-system\n');
}

/**
 * An app repo's Python virtualenv: `count` files (sources, YAML and JSON data, as packages
 * ship them) in a `.venv` that .gitignore ignores. Discovery must not walk it.
 */
function addIgnoredVenv(dir, count) {
  writeFileSync(path.join(dir, '.gitignore'), '.venv/\n');
  const perPackage = 20;
  for (let p = 0; p < count / perPackage; p++) {
    const pkg = path.join(dir, '.venv', 'lib', 'python3.12', 'site-packages', `pkg${p}`);
    mkdirSync(pkg, { recursive: true });
    for (let m = 0; m < perPackage; m++) {
      const ext = m % 10 === 0 ? 'yaml' : m % 10 === 1 ? 'json' : 'py';
      writeFileSync(path.join(pkg, `module${m}.${ext}`), ext === 'yaml' ? `name: pkg${p}\n` : ext === 'json' ? '{"a": 1}\n' : `VALUE = ${m}\n`);
    }
  }
}

/**
 * The 2,000-file workspace with a 60,000-file ignored `.venv`, outside git and as a git work
 * tree; the target is the time without it. Two copies, one with the .venv, timed in alternation
 * (measureAlternating), read the same way (a walk, then git with its parse cache): measured one
 * after the other, the machine's drift between the two series was larger than the difference.
 */
function ignoredFolderRows(base) {
  const rows = [];
  const without = path.join(base, 'ws-2000-no-venv');
  const dir = path.join(base, 'ws-2000-venv');
  generate(without, 2000);
  generate(dir, 2000);
  addIgnoredVenv(dir, 60000);
  const signed = (seconds) => `${seconds >= 0 ? '+' : ''}${seconds.toFixed(3)} s`;
  const target = (less, more) => {
    const { paired, medians } = added(less, more);
    return `≤ +0.05 s (${signed(paired)}; medians ${signed(medians)})`;
  };
  const cases = [
    { args: ['.'], cwd: without },
    { args: ['.'], cwd: dir },
  ];
  const pairedRuns = Math.max(runs, PAIRED_RUNS);
  const [walkedWithout, walked] = measureAlternating(cases, pairedRuns);
  rows.push({ name: 'synthetic 2,000 files + ignored 60,000-file .venv (no git)', ...walked, target: target(walkedWithout, walked) });
  commitAll(without);
  commitAll(dir);
  const [listedWithout, listed] = measureAlternating(cases, pairedRuns);
  rows.push({ name: 'synthetic 2,000 files + ignored 60,000-file .venv (git work tree)', ...listed, target: target(listedWithout, listed) });
  return rows;
}

/**
 * The examples plus a validate-stage load (issue 14): 200 `.tf` files in 10 modules of the app
 * repo and a dbt project of 300 models with sources and refs. Target: ≤ 50 ms more than the
 * examples alone.
 */
function generateValidateStage(dir) {
  cpSync(path.join(repoRoot, 'examples', 'lotus-lake'), path.join(dir, 'lotus-lake'), { recursive: true });
  cpSync(path.join(repoRoot, 'examples', 'h-kube'), path.join(dir, 'h-kube'), { recursive: true });
  const app = path.join(dir, 'lotus-lake');
  for (let m = 0; m < 10; m++) {
    const module = path.join(app, 'infra', `module-${m}`);
    mkdirSync(path.join(module, 'files'), { recursive: true });
    writeFileSync(path.join(module, 'files', 'policy.json'), '{}\n');
    writeFileSync(path.join(module, 'versions.tf'), 'terraform {\n  required_providers {\n    airbyte = {\n      source  = "airbytehq/airbyte"\n      version = "0.6.5"\n    }\n  }\n}\n');
    for (let f = 0; f < 19; f++) {
      let text = '';
      for (let b = 0; b < 5; b++) {
        const id = `m${m}_f${f}_b${b}`;
        text += `variable "${id}" {\n  type    = string\n  default = "${id}"\n}\n\nlocals {\n  ${id} = "\${var.${id}}-x"\n  ${id}_policy = file("\${path.module}/files/policy.json")\n}\n\n`;
        text += `resource "airbyte_source_custom" "${id}" {\n  name         = local.${id}\n  workspace_id = var.${id}\n  configuration = jsonencode({ policy = local.${id}_policy, tags = [for t in ["a", "b"] : upper(t)] })\n}\n\n`;
      }
      writeFileSync(path.join(module, `file-${f}.tf`), text);
    }
  }
  const dbt = path.join(app, 'transform');
  mkdirSync(path.join(dbt, 'models', 'staging'), { recursive: true });
  writeFileSync(path.join(dbt, 'dbt_project.yml'), 'name: bench\nversion: "1.0.0"\nprofile: bench\nmodel-paths: ["models"]\n');
  const tables = Array.from({ length: 50 }, (_, i) => `      - name: table_${i}\n`).join('');
  writeFileSync(path.join(dbt, 'models', 'staging', '_sources.yml'), `version: 2\nsources:\n  - name: raw\n    tables:\n${tables}`);
  for (let i = 0; i < 300; i++) {
    const folder = path.join(dbt, 'models', i < 50 ? 'staging' : `marts_${i % 10}`);
    mkdirSync(folder, { recursive: true });
    const body = i < 50
      ? `select * from {{ source('raw', 'table_${i}') }}\n`
      : `{# model ${i} #}\nselect a.*, b.id as other\nfrom {{ ref('model_${i % 50}') }} as a\njoin {{ ref('model_${(i + 13) % 300}') }} as b using (id)\n`;
    writeFileSync(path.join(folder, `model_${i}.sql`), body);
  }
}

/**
 * Make `dir` a git work tree with everything committed, as a cloned Flux repository is: on
 * branch main, the branch its GitRepository fetches. On git's default branch (master here) the
 * linter would rightly see another tree than Flux's and skip every build that source feeds,
 * which is far less work than a real run.
 */
function commitAll(dir) {
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('symbolic-ref', 'HEAD', 'refs/heads/main');
  git('add', '.');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', 'bench');
}

/**
 * Variables that change nothing the linter does, only what Node does before the first line of
 * the bin runs. NODE_EXTRA_CA_CERTS (set on machines behind a TLS-inspecting proxy, as the
 * shells of this project's machine are) makes Node read and parse that certificate bundle and
 * its own root store at start-up: `node -e 0` took 20-30 ms without it and 65-95 ms with it, and
 * a run 55-60 ms more (medians of the differences of 16 alternating pairs: the examples −55 ms,
 * the 2,000-file findings workspace −60 ms; their medians 162 → 104 and 400 → 367 ms, in a
 * noisy spell). The linter never opens a connection. The rows are
 * timed without them (BENCH_KEEP_ENV=1 keeps them), and the header says what they cost here. A
 * user whose shell sets them pays it too, and the tables of earlier rounds were timed with it:
 * compare with those through BENCH_KEEP_ENV=1. It cancels out of a difference of two cases.
 */
const STARTUP_ONLY_ENV = ['NODE_EXTRA_CA_CERTS'];

/**
 * The runs' environment: a V8 code cache of the bench's own (XDG_CACHE_HOME in a temporary
 * folder), so that what other runs of this machine wrote in ~/.cache (another build, a run that
 * compiled less) is not what the first rows find, and BENCH_BIN's build and this one never
 * replace each other's cache; without STARTUP_ONLY_ENV.
 */
let cacheHome;
function benchEnv() {
  if (cacheHome === undefined) {
    cacheHome = mkdtempSync(path.join(tmpdir(), 'gitops-lint-bench-cache-'));
    process.on('exit', () => rmSync(cacheHome, { recursive: true, force: true }));
  }
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
  if (process.env.BENCH_KEEP_ENV !== '1') for (const name of STARTUP_ONLY_ENV) delete env[name];
  return env;
}

/** What Node's own start-up (`node -e 0`, median of 11 runs) costs in the runs' environment and, when it differs, in this shell's. */
function nodeStartup() {
  const time = (env) => {
    const samples = [];
    for (let run = 0; run < 11; run++) {
      const start = process.hrtime.bigint();
      spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore', env });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return median(samples);
  };
  const removed = STARTUP_ONLY_ENV.filter((name) => process.env[name] !== undefined && benchEnv()[name] === undefined);
  const inRuns = time(benchEnv());
  if (removed.length === 0) return `Node's start-up (\`node -e 0\`): ${inRuns.toFixed(0)} ms.`;
  return `Node's start-up (\`node -e 0\`): ${inRuns.toFixed(0)} ms in the runs' environment, ${time(process.env).toFixed(0)} ms with this shell's ${removed.join(', ')}, which the runs leave out (it changes only Node's start-up; BENCH_KEEP_ENV=1 keeps it).`;
}

function measure(args, cwd) {
  return measureAlternating([{ args, cwd }])[0];
}

/**
 * Time several workspaces in alternation, run by run, the order turned every other pass (A B,
 * B A, A B …, so neither is always the one that runs after the other), after one untimed run of
 * each: the compile cache and the parse caches are then what every later run finds, and a drift
 * of the machine or of the V8 code cache during the series falls on every workspace alike.
 */
function measureAlternating(cases, count = runs) {
  for (const { args, cwd } of cases) spawnSync(process.execPath, [bin, ...args], { cwd, stdio: 'ignore', env: benchEnv() });
  const results = cases.map(() => ({ samples: [], cpu: [], rssKiB: 0, summary: {} }));
  for (let run = 0; run < count; run++) {
    const order = cases.map((_, index) => index);
    if (run % 2 === 1) order.reverse();
    for (const index of order) {
      const { args, cwd } = cases[index];
      const result = results[index];
      const start = process.hrtime.bigint();
      const child = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, bin, '-f', 'json', ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: benchEnv() });
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      if (child.status !== 0 && child.status !== 1) throw new Error(`gitops-lint exited ${child.status}: ${child.stderr}`);
      result.samples.push(wall);
      // User + system CPU time: on a machine other work shares, it moves much less than wall time.
      const [user, system, maxRss] = child.stderr.trim().split('\n').pop().split(' ').map(Number);
      result.cpu.push(user + system);
      result.rssKiB = Math.max(result.rssKiB, maxRss);
      const json = JSON.parse(child.stdout);
      result.summary = { files: json.fileCount, resources: json.resourceCount, findings: json.findings.length };
    }
  }
  return results.map(({ samples, cpu, rssKiB, summary }) => ({ ...summary, wall: median(samples), cpu: median(cpu), rssMiB: rssKiB / 1024, samples }));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs of each pair in a target that is a difference (what a folder or a stage adds): at least
 * PAIRED_RUNS, BENCH_RUNS when more. The machine's speed moves by tens of milliseconds from one
 * second to the next (Node's own start-up alone took 60-110 ms in one series), and the
 * difference of two medians of 5 runs moved with it (+21 to +59 ms for one build in round 6).
 */
const PAIRED_RUNS = 15;

/**
 * What `withIt` adds to `without`, measured in alternation: the median of the differences run by
 * run (each pair a fraction of a second apart, so a drift of the machine falls on both), and,
 * to show how far apart the two estimates are, the difference of the two medians.
 */
function added(without, withIt) {
  const pairs = withIt.samples.map((wall, index) => wall - without.samples[index]);
  return { paired: median(pairs), medians: withIt.wall - without.wall };
}

// `node scripts/bench.mjs --generate DIR COUNT [findings]` only writes a workspace, for profiling.
if (process.argv[2] === '--generate-validate') {
  generateValidateStage(path.resolve(process.argv[3]));
  process.exit(0);
}
if (process.argv[2] === '--generate') {
  generate(path.resolve(process.argv[3]), Number(process.argv[4] ?? 2000), process.argv[5] === 'findings');
  process.exit(0);
}
// `node scripts/bench.mjs --scaling` runs only the scaling section (below).
if (process.argv[2] === '--scaling') {
  scaling();
  process.exit(0);
}

if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'main.cjs'))) execFileSync('npm', ['run', 'bundle'], { cwd: repoRoot, stdio: 'inherit' });

/**
 * How fast this machine is right now: the CPU time of a fixed integer loop, and the load
 * average. The machine is shared and has quiet and slow spells (the same build's 2,000-file
 * run has measured 0.29 s in one and 0.55 s in another), so the table says which it ran in.
 */
function machineSpeed() {
  const start = process.cpuUsage();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x = (x + i * 7) % 1000003;
  const { user, system } = process.cpuUsage(start);
  // Memory too: dependent reads along one random cycle through 32 MiB (Sattolo's shuffle, a
  // fixed seed), each mostly a cache miss: a run's heap walks are pointer-chasing of this kind.
  const cells = new Int32Array(8 * 1024 * 1024);
  for (let i = 0; i < cells.length; i++) cells[i] = i;
  let seed = 12345;
  for (let i = cells.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % i;
    const swap = cells[i];
    cells[i] = cells[j];
    cells[j] = swap;
  }
  const memoryStart = process.cpuUsage();
  let at = 0;
  for (let i = 0; i < 2e6; i++) at = cells[at];
  const memory = process.cpuUsage(memoryStart);
  return { cpuMs: (user + system) / 1000 + (x < 0 ? 1 : 0), memoryMs: (memory.user + memory.system) / 1000 + (at < 0 ? 1 : 0), load: loadavg()[0] };
}
const speedBefore = machineSpeed();

const rows = [];
if (process.env.BENCH_EXAMPLES !== '0') rows.push({ name: 'examples (lotus-lake + h-kube)', target: '≤ 0.20 s', ...measure(['examples/lotus-lake', 'examples/h-kube'], repoRoot) });
const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-bench-'));
try {
  for (const size of sizes) {
    for (const variant of variants) {
      const dir = path.join(base, `ws-${size}-${variant}`);
      generate(dir, size, variant === 'findings');
      // A Flux repository is a git work tree; the parse cache in its .git is warm after the first run.
      commitAll(dir);
      const target = size === 2000 ? (variant === 'findings' ? '≤ 0.40 s' : '≤ 0.35 s') : size === 20000 ? '≤ 10× the 2,000 run, ≤ 512 MiB' : '';
      rows.push({ name: `synthetic ${size.toLocaleString('en')} files, ${variant}`, target, ...measure(['.'], dir) });
      // What a fresh clone (CI) costs: every file parsed. Builds without --no-cache (BENCH_BIN) skip this row.
      if (size === 2000 && !process.env.BENCH_BIN) rows.push({ name: `synthetic 2,000 files, ${variant}, --no-cache (a fresh clone)`, target: '', ...measure(['--no-cache', '.'], dir) });
      if (size === 2000 && variant === 'clean' && process.env.BENCH_IGNORED !== '0') rows.push(...ignoredFolderRows(base));
    }
  }
  if (process.env.BENCH_VALIDATE !== '0') {
    // Against the examples alone read the same way (their own git work tree), not the examples
    // row, which git lists as part of this whole project: that row is slower, and the difference
    // would flatter the Terraform and dbt cost.
    const alone = path.join(base, 'examples-alone');
    cpSync(path.join(repoRoot, 'examples', 'lotus-lake'), path.join(alone, 'lotus-lake'), { recursive: true });
    cpSync(path.join(repoRoot, 'examples', 'h-kube'), path.join(alone, 'h-kube'), { recursive: true });
    commitAll(alone);
    const dir = path.join(base, 'validate-stage');
    generateValidateStage(dir);
    commitAll(dir);
    const [without, withStage] = measureAlternating(
      [
        { args: ['lotus-lake', 'h-kube'], cwd: alone },
        { args: ['lotus-lake', 'h-kube'], cwd: dir },
      ],
      Math.max(runs, PAIRED_RUNS),
    );
    rows.push({ name: 'examples alone, in their own git work tree', target: '', ...without });
    const { paired, medians } = added(without, withStage);
    const ms = (seconds) => `${seconds >= 0 ? '+' : ''}${Math.round(seconds * 1000)} ms`;
    rows.push({ name: 'the same + 200 .tf files + 300 dbt models', target: `≤ +50 ms (${ms(paired)}; medians ${ms(medians)})`, ...withStage });
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}

const speedAfter = machineSpeed();
const startup = nodeStartup();
console.log(
  `gitops-lint bench — node ${process.version}, ${cpus().length} cores, median of ${runs} runs (whole process); the two cases of a target that is a difference, ${Math.max(runs, PAIRED_RUNS)} alternating runs each, the target the median of their run-by-run differences\n`,
);
console.log(
  `Machine speed, before the runs and after: a fixed loop ${speedBefore.cpuMs.toFixed(0)} and ${speedAfter.cpuMs.toFixed(0)} ms of CPU, 2 million dependent reads from memory ${speedBefore.memoryMs.toFixed(0)} and ${speedAfter.memoryMs.toFixed(0)} ms; load average ${speedBefore.load.toFixed(1)} and ${speedAfter.load.toFixed(1)}. ${startup}\n`,
);
console.log('| workspace | files | resources | findings | wall (s) | CPU user+sys (s) | files/s | peak RSS (MiB) | target |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const row of rows) {
  console.log(`| ${row.name} | ${row.files} | ${row.resources} | ${row.findings} | ${row.wall.toFixed(3)} | ${row.cpu.toFixed(2)} | ${Math.round(row.files / row.wall)} | ${row.rssMiB.toFixed(0)} | ${row.target} |`);
}

/**
 * Rego policies: 1,000 applied Deployments × the 10-rule policy of test/fixtures/policies/bench
 * (compiled bundle). The workspace is loaded once through the library; then the policy step
 * (`runPolicies`: instantiation and every evaluation, as `lint()` runs it) is timed BENCH_RUNS
 * times after a warm-up, as wall time and as CPU time of this process (the machine is shared,
 * so CPU time is the steadier number), against the ≤ 50 ms target.
 */
async function benchPolicies() {
  // The evaluation alone, in process: the sources through tsx (the bundle exports only the public API).
  const { tsImport } = await import('tsx/esm/api');
  const { loadWorkspace, runPolicies } = await tsImport(path.join(repoRoot, 'scripts', 'bench-policies-entry.ts'), import.meta.url);
  const count = 1000;
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-bench-policies-'));
  try {
    mkdirSync(path.join(dir, 'deploy'));
    // Policy paths must stay inside the root (like extends): the bundle is copied in.
    cpSync(path.join(repoRoot, 'test/fixtures/policies/bench/bundle/bundle.tar.gz'), path.join(dir, 'policy.tar.gz'));
    writeFileSync(path.join(dir, '.gitops-lint.yaml'), 'policies:\n  - policy.tar.gz\n');
    for (let n = 0; n < count; n++) writeFileSync(path.join(dir, 'deploy', `app-${n}.yaml`), deployment(`app-${n}`, `secret-${n}`, `config-${n}`));
    const { model } = await loadWorkspace({ roots: [dir], rules: [] });
    const wall = [];
    const cpu = [];
    let results;
    for (let run = 0; run <= runs; run++) {
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      results = runPolicies(model, Date.now() * 1e6);
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpuStart);
      if (run === 0) continue;
      wall.push(elapsed);
      cpu.push((used.user + used.system) / 1000);
    }
    const findings = [...results.values()].reduce((sum, rule) => sum + rule.reports.length, 0);
    console.log(`\nRego policies — a 10-rule policy on each applied object, median of ${runs} runs after a warm-up\n`);
    console.log('| objects | policy results | evaluation wall (ms) | evaluation CPU (ms) | µs CPU per object | target |');
    console.log('|---:|---:|---:|---:|---:|---|');
    console.log(`| ${model.resources.length} | ${findings} | ${median(wall).toFixed(1)} | ${median(cpu).toFixed(1)} | ${((median(cpu) * 1000) / count).toFixed(0)} | ≤ 50 ms |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_POLICIES !== '0') await benchPolicies();

// Scaling section (issue 10): one input dimension grown at a time, each at two sizes, so the
// ratio of the two times shows whether that dimension is linear (≈ the size ratio) or worse.
// BENCH_SCALING=0 skips it; `--scaling` runs nothing else. Asserts nothing.
function scalingWorkspaces() {
  const cm = (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v${i}\n`;
  const kustomization = (entries) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${entries.map((e) => `  - ${e}`).join('\n')}\n`;
  const refs = (n) => {
    // n references to one Secret: Deployments of 100 env entries each, all naming the same key.
    const perPod = Math.min(n, 100);
    const docs = [];
    for (let d = 0; d < n / perPod; d++) {
      const env = Array.from({ length: perPod }, (_, i) => `            - name: V${i}\n              valueFrom:\n                secretKeyRef: {name: shared, key: password}`).join('\n');
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${d}\nspec:\n  selector:\n    matchLabels: {app: d${d}}\n  template:\n    metadata:\n      labels: {app: d${d}}\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/app:1.0.0\n          env:\n${env}\n`);
    }
    docs.push(secret('shared'));
    return docs.join('---\n');
  };
  // Compact block sequences (`- - - 1`): one level costs two bytes, so input grows with depth.
  // Past about 900 levels the parser's recursion overflows and the file gets a yaml-syntax finding.
  const nested = (depth) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: deep\nspec:\n  x:\n    ${'- '.repeat(depth)}1\n`;
  return [
    // 29 bytes a document: 100k documents (2.9 MB) stay under the 4 MiB file limit.
    { name: 'documents in one file', sizes: [25_000, 100_000], target: '100k ≤ 2 s', files: (n) => ({ 'all.yaml': 'apiVersion: v1\nkind: Pod\n---\n'.repeat(n) }) },
    { name: 'keys in one mapping', sizes: [2_500, 10_000], files: (n) => ({ 'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n${Array.from({ length: n }, (_, i) => `  key${i}: v${i}`).join('\n')}\n` }) },
    {
      name: 'kustomization entries',
      sizes: [250, 1_000],
      files: (n) => ({ 'kustomization.yaml': kustomization(Array.from({ length: n }, (_, i) => `r${i}.yaml`)), ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}.yaml`, cm(i)])) }),
    },
    { name: 'references to one Secret', sizes: [2_500, 10_000], files: (n) => ({ 'kustomization.yaml': kustomization(['refs.yaml']), 'refs.yaml': refs(n) }) },
    { name: 'line length (bytes)', sizes: [1_000_000, 4_000_000], files: (n) => ({ 'long.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  k: ${'x'.repeat(n)}\n` }) },
    { name: 'nesting depth', sizes: [200, 800], files: (n) => ({ 'deep.yaml': nested(n) }) },
  ];
}

/** Like measure(), with CPU time (user + system) too: on a shared machine wall time includes waiting. */
function scaling() {
  const rows = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'gitops-lint-scaling-'));
  try {
    for (const workspace of scalingWorkspaces()) {
      const times = [];
      for (const size of workspace.sizes) {
        const ws = path.join(dir, `${workspace.name.replace(/\W+/g, '-')}-${size}`);
        mkdirSync(ws, { recursive: true });
        for (const [name, text] of Object.entries(workspace.files(size))) writeFileSync(path.join(ws, name), text);
        const row = measure(['.'], ws);
        times.push(row.cpu);
        rows.push({ name: `${workspace.name}: ${size.toLocaleString('en')}`, ...row, target: workspace.target ?? '' });
        rmSync(ws, { recursive: true, force: true });
      }
      const sizeRatio = workspace.sizes[1] / workspace.sizes[0];
      rows.at(-1).target = `${rows.at(-1).target ? `${rows.at(-1).target}; ` : ''}×${sizeRatio} input → ×${(times[1] / times[0]).toFixed(1)} CPU time`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nScaling, one dimension at a time — whole process, median of ${runs} runs by CPU time\n`);
  console.log('| input | files | resources | findings | wall (s) | CPU (s) | peak RSS (MiB) | note |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const row of rows) console.log(`| ${row.name} | ${row.files} | ${row.resources} | ${row.findings} | ${row.wall.toFixed(2)} | ${row.cpu.toFixed(2)} | ${row.rssMiB.toFixed(0)} | ${row.target} |`);
}

if (process.env.BENCH_SCALING !== '0' && process.argv[2] !== '--scaling') scaling();
