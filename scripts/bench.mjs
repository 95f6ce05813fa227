// npm run bench: generate synthetic GitOps workspaces and time the CLI on them as whole
// processes (Node start-up included), with peak RSS from GNU time. Prints one table.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');
const bin = path.join(repoRoot, 'bin', 'gitops-lint.js');
const sizes = (process.env.BENCH_SIZES ?? '200,2000,20000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);

const enc = (n) => `ENC[AES256_GCM,data:${Buffer.from(`value-${n}`).toString('base64')},iv:${'A'.repeat(43)}=,tag:${'B'.repeat(22)}==,type:str]`;

const templates = [
  (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels: {app: app-${i}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/app-${i}:1.${i % 50}.0
          imagePullPolicy: IfNotPresent
          env:
            - name: MODE
              value: production
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db-${i}, key: password}
          envFrom:
            - configMapRef: {name: config-${i}}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
`,
  (i) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: release-${i}
spec:
  interval: 10m
  chart:
    spec:
      chart: app
      version: "1.${i % 9}.0"
      sourceRef:
        kind: HelmRepository
        name: charts
        namespace: flux-system
  values:
    image:
      repository: ghcr.io/acme/release-${i}
      tag: "2.${i % 7}.1"
      pullPolicy: IfNotPresent
    env:
      - name: LOG_LEVEL
        value: info
    resources:
      limits: {memory: 256Mi}
`,
  (i) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ks-${i}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/app-${i}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
`,
  (i) => `apiVersion: v1
kind: Secret
metadata:
  name: db-${i}
type: Opaque
stringData:
    password: ${enc(i)}
    username: ${enc(i + 1)}
sops:
    age:
        - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBhYmNkZWZnaGlqa2xtbm9w
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2026-11-01T10:00:00Z"
    mac: ${enc(i + 2)}
    encrypted_regex: ^(data|stringData)$
    version: 3.10.2
`,
  (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: config-${i}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector: {app: app-${i}}
  ports:
    - port: 80
      targetPort: 8080
`,
];

function generate(dir, count) {
  mkdirSync(dir, { recursive: true });
  const perFolder = 10;
  for (let folder = 0; folder * perFolder < count; folder++) {
    const folderDir = path.join(dir, 'apps', `app-${folder}`);
    mkdirSync(folderDir, { recursive: true });
    const names = [];
    for (let j = 0; j < perFolder - 1 && folder * perFolder + j < count - 1; j++) {
      const i = folder * perFolder + j;
      const name = `res-${j}.yaml`;
      writeFileSync(path.join(folderDir, name), templates[i % templates.length](i));
      names.push(name);
    }
    writeFileSync(path.join(folderDir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ns-${folder % 20}\nresources:\n${names.map((n) => `  - ${n}`).join('\n')}\n`);
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
if (process.argv[2] === '--generate') {
  generate(path.resolve(process.argv[3]), Number(process.argv[4] ?? 2000));
  process.exit(0);
}

if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'main.mjs'))) execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });

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
} finally {
  rmSync(base, { recursive: true, force: true });
}

console.log(`gitops-lint bench — node ${process.version}, ${cpus().length} cores, median of ${runs} runs (whole process)\n`);
console.log('| workspace | files | resources | findings | wall (s) | files/s | peak RSS (MiB) | target |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const row of rows) {
  console.log(`| ${row.name} | ${row.files} | ${row.resources} | ${row.findings} | ${row.wall.toFixed(3)} | ${Math.round(row.files / row.wall)} | ${row.rssMiB.toFixed(0)} | ${row.target} |`);
}
