// npm run bench: generate synthetic GitOps workspaces and time the CLI on them as whole
// processes (Node start-up included), with peak RSS from GNU time. Prints one table.
// The workspaces are consistent (every reference resolves, SOPS files match .sops.yaml), so
// the numbers are those of a repo that lints clean, the common case on every commit.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');
const bin = path.join(repoRoot, 'bin', 'gitops-lint.js');
const sizes = (process.env.BENCH_SIZES ?? '200,2000,20000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);

const enc = (n) => `ENC[AES256_GCM,data:${Buffer.from(`value-${n}`).toString('base64')},iv:${'A'.repeat(43)}=,tag:${'B'.repeat(22)}==,type:str]`;
const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

const deployment = (name, secret, config) => `apiVersion: apps/v1
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
          image: ghcr.io/acme/${name}:1.4.2
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

/** Nine files per kustomize folder whose references all resolve within the folder. */
const folderFiles = (f) => [
  deployment(`app-${f}-a`, `db-${f}-a`, `config-${f}-a`),
  helmRelease(`release-${f}-a`),
  cronJob(`task-${f}`),
  secret(`db-${f}-a`),
  configAndService(`config-${f}-a`, `app-${f}-a`),
  deployment(`app-${f}-b`, `db-${f}-b`, `config-${f}-b`),
  helmRelease(`release-${f}-b`),
  configAndService(`config-${f}-b`, `app-${f}-b`),
  secret(`db-${f}-b`),
];

/** A cluster repo applying its own apps/ folders, as `flux bootstrap` lays it out. */
function generate(dir, count) {
  mkdirSync(path.join(dir, 'clusters'), { recursive: true });
  const folders = Math.ceil((count - 3) / 10);
  const kustomizations = [];
  for (let f = 0; f < folders; f++) {
    const folderDir = path.join(dir, 'apps', `app-${f}`);
    mkdirSync(folderDir, { recursive: true });
    const names = [];
    folderFiles(f).forEach((text, j) => {
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

function measure(args, cwd) {
  const samples = [];
  let rssKiB = 0;
  let summary = {};
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, '-f', 'json', ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0 && result.status !== 1) throw new Error(`gitops-lint exited ${result.status}: ${result.stderr}`);
    samples.push(wall);
    rssKiB = Math.max(rssKiB, Number(result.stderr.trim().split('\n').pop()));
    const json = JSON.parse(result.stdout);
    summary = { files: json.fileCount, resources: json.resourceCount, findings: json.findings.length };
  }
  samples.sort((a, b) => a - b);
  return { ...summary, wall: samples[Math.floor(samples.length / 2)], rssMiB: rssKiB / 1024 };
}

// `node scripts/bench.mjs --generate DIR COUNT` only writes a workspace, for profiling.
if (process.argv[2] === '--generate-validate') {
  generateValidateStage(path.resolve(process.argv[3]));
  process.exit(0);
}
if (process.argv[2] === '--generate') {
  generate(path.resolve(process.argv[3]), Number(process.argv[4] ?? 2000));
  process.exit(0);
}

if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'main.cjs'))) execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });

const rows = [];
if (process.env.BENCH_EXAMPLES !== '0') rows.push({ name: 'examples (lotus-lake + h-kube)', target: '≤ 0.25 s', ...measure(['examples/lotus-lake', 'examples/h-kube'], repoRoot) });
const base = mkdtempSync(path.join(tmpdir(), 'gitops-lint-bench-'));
try {
  for (const size of sizes) {
    const dir = path.join(base, `ws-${size}`);
    generate(dir, size);
    const target = size === 2000 ? '≤ 0.5 s' : size === 20000 ? '≤ 10× the 2,000 run, ≤ 1 GiB' : '';
    rows.push({ name: `synthetic ${size.toLocaleString('en')} files`, target, ...measure(['.'], dir) });
  }
  if (process.env.BENCH_VALIDATE !== '0') {
    const dir = path.join(base, 'validate-stage');
    generateValidateStage(dir);
    rows.push({ name: 'examples + 200 .tf files + 300 dbt models', target: '≤ examples + 50 ms', ...measure(['lotus-lake', 'h-kube'], dir) });
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}

console.log(`gitops-lint bench — node ${process.version}, ${cpus().length} cores, median of ${runs} runs (whole process)\n`);
console.log('| workspace | files | resources | findings | wall (s) | files/s | peak RSS (MiB) | target |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const row of rows) {
  console.log(`| ${row.name} | ${row.files} | ${row.resources} | ${row.findings} | ${row.wall.toFixed(3)} | ${Math.round(row.files / row.wall)} | ${row.rssMiB.toFixed(0)} | ${row.target} |`);
}
