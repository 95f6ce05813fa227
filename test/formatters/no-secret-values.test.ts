import { describe, expect, it } from 'vitest';
import { formatters } from '../../src/formatters/index.js';
import { lint } from '../../src/index.js';
import { yaml } from '../../src/testing/index.js';
import { tempRepo } from '../cli/temp-repo.js';

/** Distinctive values that must never leave the process in any format. */
const SECRETS = [
  'Walrus-Plaintext-7431',
  'Heron-StringData-9902',
  'Marmot-EnvValue-5518',
  'Badger-HelmValue-2267',
  'Ocelot-Comment-8841',
  'Lynx-SopsPlain-1093',
  'Puffin-InnocentKey-3310',
  'Gecko-OldValueComment-6672',
  'Tapir-EnvVarsString-4409',
  'Quokka-SyntaxError-7785',
];

/** What is written in files: the data value is base64, as Kubernetes wants it. */
const WRITTEN = [Buffer.from(SECRETS[0]!).toString('base64'), ...SECRETS.slice(1)];

const files = {
  'deploy/plain-secret.yaml': yaml`
    apiVersion: v1
    kind: Secret
    metadata:
      name: plain
    data:
      token: ${Buffer.from(SECRETS[0]!).toString('base64')}
    stringData:
      password: ${SECRETS[1]}
      password: duplicate-${SECRETS[1]}
      # was: ${SECRETS[7]}
      DB_URL: postgres://app:${SECRETS[6]}@db/app # trailing
  `,
  'deploy/broken.yaml': yaml`
    apiVersion: v1
    kind: Secret
    metadata:
      name: broken
    stringData:
      password: |x ${SECRETS[9]}
  `,
  'deploy/app.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: app
    spec:
      template:
        spec:
          containers:
            - name: app
              image: ghcr.io/acme/app:latest
              imagePullPolicy: IfNotPresent
              env:
                - name: DB_PASSWORD
                  value: ${SECRETS[2]}
  `,
  'deploy/release.yaml': yaml`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: app
    spec:
      interval: 10m
      chart:
        spec:
          chart: app
          sourceRef:
            kind: HelmRepository
            name: missing
      values:
        auth:
          password: ${SECRETS[3]}
        runLauncher:
          config:
            k8sRunLauncher:
              envVars:
                - DB_PASSWORD=${SECRETS[8]}
  `,
  'deploy/encrypted.yaml': yaml`
    apiVersion: v1
    kind: Secret
    metadata:
      name: enc
    stringData:
      # ${SECRETS[4]}
      api: ENC[AES256_GCM,data:Zm9v,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]
      added: ${SECRETS[5]}
    sops:
      lastmodified: "2026-11-01T10:00:00Z"
      mac: ENC[AES256_GCM,data:Zm9v,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]
      encrypted_regex: ^(data|stringData)$
      version: 3.10.2
  `,
};

describe('no output format prints a secret value', () => {
  it('finds the planted mistakes, and prints none of the values in any format', async () => {
    const dir = tempRepo(files);
    const result = await lint({ roots: [dir], cwd: dir });
    const rules = new Set(result.findings.map((finding) => finding.ruleId));
    for (const rule of ['yaml-syntax', 'sops-secret-encrypted', 'no-plaintext-sensitive-env']) expect(rules).toContain(rule);
    for (const [name, formatter] of Object.entries(formatters)) {
      for (const color of [false, true]) {
        const output = formatter(result, { cwd: dir, toolVersion: '0.0.0', color });
        expect(output.length, name).toBeGreaterThan(0);
        for (const secret of WRITTEN) expect(output, `${name} prints ${secret}`).not.toContain(secret);
      }
    }
    const everything = JSON.stringify(result) + result.findings.map((f) => (result.sourceLines(f.location.root, f.location.file, 1, 40) ?? []).join('\n')).join('\n');
    for (const secret of WRITTEN) expect(everything).not.toContain(secret);
  });
});
