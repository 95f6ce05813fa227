import { describe, expect, it } from 'vitest';
import { yaml } from '../../src/testing/index.js';
import type { Container } from '../../src/model/workspace.js';
import { modelOf } from '../helpers.js';

const deployment = (name: string, image: string, extra = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: ${name}
  spec:
    template:
      spec:
        containers:
          - name: app
            image: ${image}${extra}
`;

describe('kustomize trees', () => {
  const model = modelOf({
    repo: {
      'deploy/kustomization.yaml': 'namespace: outer\nresources:\n  - base\n  - extra.yaml\n  - https://github.com/acme/shared//deploy?ref=v1\n  - missing.yaml\n',
      'deploy/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
      'deploy/base/kustomization.yaml': 'namespace: inner\nresources:\n  - app.yaml\n  - ns.yaml\n',
      'deploy/base/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: written\n',
      'deploy/base/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: inner\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n',
      'loose/other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: loose\n  namespace: own\n',
    },
  });

  it('classifies resources entries', () => {
    const root = model.kustomize.at(model.roots[0]!, 'deploy');
    expect(root?.entries.map((entry) => [entry.value, entry.kind, entry.target])).toEqual([
      ['base', 'directory', 'deploy/base'],
      ['extra.yaml', 'file', 'deploy/extra.yaml'],
      ['https://github.com/acme/shared//deploy?ref=v1', 'remote', undefined],
      ['missing.yaml', 'missing', 'deploy/missing.yaml'],
    ]);
    expect(root?.children.map((child) => child.dir)).toEqual(['deploy/base']);
  });

  it('answers which kustomizations apply a file, innermost first', () => {
    const app = model.fileAt(model.roots[0]!, 'deploy/base/app.yaml')!;
    expect(model.kustomize.owners(app).map((node) => node.dir)).toEqual(['deploy/base']);
    expect(model.kustomize.chain(app).map((node) => node.dir)).toEqual(['deploy/base', 'deploy']);
    expect(model.kustomize.chain(model.fileAt(model.roots[0]!, 'loose/other.yaml')!)).toEqual([]);
  });

  it('applies the outermost namespace, leaving cluster-scoped objects and other files alone', () => {
    const ns = (kind: string, name: string) => model.find({ kind, name })[0]?.appliedNamespace;
    expect(ns('ConfigMap', 'app')).toBe('outer');
    expect(ns('ConfigMap', 'extra')).toBe('outer');
    expect(ns('ClusterRole', 'reader')).toBeUndefined();
    expect(ns('ConfigMap', 'loose')).toBe('own');
    expect(model.find({ kind: 'ConfigMap', name: 'app' })[0]?.namespace).toBe('written');
  });

  it('does not treat kustomization files as resources, and renames Namespace objects like kustomize', () => {
    expect(model.resources.map((resource) => resource.name).sort()).toEqual(['app', 'extra', 'loose', 'outer', 'reader']);
  });
});

describe('indexes by file and by folder', () => {
  const model = modelOf({
    repo: {
      'deploy/kustomization.yaml': 'resources:\n  - app.yaml\n',
      'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\nnot: a resource\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      'deploy/nested/deep/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
      'README.md': '# repo\n',
    },
  });
  const root = model.roots[0]!;

  it('gives the resources of a file and of one document', () => {
    const app = model.fileAt(root, 'deploy/app.yaml')!;
    expect(model.resourcesIn(app).map((resource) => [resource.docIndex, resource.name])).toEqual([[0, 'a'], [2, 'c']]);
    expect(model.resourceAt(app, 2)?.name).toBe('c');
    expect(model.resourceAt(app, 1)).toBeUndefined();
    expect(model.resourceAt(app, 0)?.name).toBe('a');
    expect(model.resourceAt(app, 3)).toBeUndefined();
    expect(model.resourcesIn(model.fileAt(root, 'deploy/kustomization.yaml')!)).toEqual([]);
  });

  it('indexes each root once by path and folder', () => {
    const index = model.rootFiles(root);
    expect([...index.dirs].sort()).toEqual(['', 'deploy', 'deploy/nested', 'deploy/nested/deep']);
    expect(index.filesIn.get('deploy')?.map((file) => file.path)).toEqual(['deploy/app.yaml', 'deploy/kustomization.yaml']);
    expect(index.dirsIn.get('deploy')).toEqual(['deploy/nested']);
    expect(index.files.get('README.md')).toBe(model.fileAt(root, 'README.md'));
  });
});

describe('containers', () => {
  it('finds containers and init containers of every workload kind', () => {
    const model = modelOf({
      repo: {
        'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: init\n      image: busybox:1.36\n  containers:\n    - name: main\n      image: nginx\n',
        'deploy.yaml': deployment('d', 'nginx:1.27'),
        'sts.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  template:\n    spec:\n      containers:\n        - name: db\n          image: postgres:16\n',
        'ds.yaml': 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ds\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: agent:2\n',
        'rs.yaml': 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\nspec:\n  template:\n    spec:\n      containers:\n        - name: r\n          image: r:1\n',
        'job.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n        - name: once\n          image: job:1\n',
        'cron.yaml': 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: prep\n              image: prep:1\n          containers:\n            - name: tick\n              image: tick:1\n',
      },
    });
    expect(model.containers.map((c) => `${c.resource.kind}/${c.name}@${c.image.written}`).sort()).toEqual([
      'CronJob/prep@prep:1',
      'CronJob/tick@tick:1',
      'DaemonSet/agent@agent:2',
      'Deployment/app@nginx:1.27',
      'Job/once@job:1',
      'Pod/init@busybox:1.36',
      'Pod/main@nginx',
      'ReplicaSet/r@r:1',
      'StatefulSet/db@postgres:16',
    ]);
    const cronInit = model.containers.find((c) => c.name === 'prep');
    expect(cronInit?.path).toEqual(['spec', 'jobTemplate', 'spec', 'template', 'spec', 'initContainers', 0]);
  });

  it('defaults the pull policy the way the API server does', () => {
    const model = modelOf({
      repo: {
        'a.yaml': deployment('untagged', 'nginx'),
        'b.yaml': deployment('latest', 'nginx:latest'),
        'c.yaml': deployment('pinned', 'nginx:1.27'),
        'd.yaml': deployment('digest', 'nginx@sha256:' + 'a'.repeat(64)),
        'e.yaml': deployment('latest-digest', 'nginx:latest@sha256:' + 'b'.repeat(64)),
        'f.yaml': deployment('explicit', 'nginx:1.27', '\n            imagePullPolicy: Always'),
        'g.yaml': deployment('port', 'registry:5000/team/app'),
      },
    });
    const policy = Object.fromEntries(model.containers.map((c) => [c.resource.name, [c.pullPolicy.value, c.pullPolicy.explicit]]));
    expect(policy).toEqual({
      untagged: ['Always', false],
      latest: ['Always', false],
      pinned: ['IfNotPresent', false],
      digest: ['IfNotPresent', false],
      'latest-digest': ['Always', false],
      explicit: ['Always', true],
      port: ['Always', false],
    });
    expect(model.containers.find((c) => c.resource.name === 'port')?.image.effective).toEqual({ name: 'registry:5000/team/app' });
  });

  it('applies kustomize images transformers, innermost first', () => {
    const model = modelOf({
      repo: {
        'overlay/kustomization.yaml': 'resources:\n  - ../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: "2.0"\n',
        'base/kustomization.yaml': 'resources:\n  - web.yaml\n  - api.yaml\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n  - name: api\n    digest: sha256:' + 'c'.repeat(64) + '\n',
        'base/web.yaml': deployment('web', 'web:latest'),
        'base/api.yaml': deployment('api', 'api:1.0'),
      },
    });
    const web = model.containers.find((c) => c.resource.name === 'web');
    expect(web?.image.effective).toEqual({ name: 'ghcr.io/acme/web', tag: '2.0' });
    expect(web?.image.overrides.map((o) => `${o.kustomization.path}#${o.index}`)).toEqual(['base/kustomization.yaml#0', 'overlay/kustomization.yaml#0']);
    expect(web?.pullPolicy.value).toBe('IfNotPresent');
    const api = model.containers.find((c) => c.resource.name === 'api');
    expect(api?.image.effective).toEqual({ name: 'api', digest: `sha256:${'c'.repeat(64)}` });
  });

  it('finds image-bearing objects in HelmRelease values, Dagster layout included', () => {
    const model = modelOf({
      repo: {
        'release.yaml': yaml`
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: dagster
            namespace: lotus-lake
          spec:
            values:
              dagsterWebserver:
                image:
                  repository: docker.io/dagster/dagster-celery-k8s
                  tag: 1.9.11
                  pullPolicy: IfNotPresent
              dagster-user-deployments:
                deployments:
                  - name: lotus-lake
                    image:
                      repository: ghcr.io/matta-kelly/lotus-lake
                      tag: latest
                      pullPolicy: Always
                    env:
                      - name: DUCKLAKE_DB_HOST
                        value: ducklake-db-rw
                      - name: DUCKLAKE_DB_PASSWORD
                        valueFrom:
                          secretKeyRef:
                            name: ducklake-db-app
                            key: password
                    envSecrets:
                      - name: lotus-lake-terraform-vars
                    envConfigMaps:
                      - name: lotus-env
                        optional: true
              sidecar:
                image: busybox
                env:
                  MODE: fast
        `,
      },
    });
    const byPath: Record<string, Container> = Object.fromEntries(model.containers.map((c) => [c.valuesPath, c]));
    expect(Object.keys(byPath)).toEqual(['dagsterWebserver', 'dagster-user-deployments.deployments[0]', 'sidecar']);
    const user = byPath['dagster-user-deployments.deployments[0]']!;
    expect(user.name).toBe('lotus-lake');
    expect(user.namespace).toBe('lotus-lake');
    expect(user.image.written).toBe('ghcr.io/matta-kelly/lotus-lake:latest');
    expect(user.image.tagPath).toEqual(['spec', 'values', 'dagster-user-deployments', 'deployments', 0, 'image', 'tag']);
    expect(user.pullPolicy).toEqual({ value: 'Always', explicit: true, path: ['spec', 'values', 'dagster-user-deployments', 'deployments', 0, 'image', 'pullPolicy'] });
    expect(user.env.map((e) => [e.name, e.value, e.secretKeyRef?.key])).toEqual([
      ['DUCKLAKE_DB_HOST', 'ducklake-db-rw', undefined],
      ['DUCKLAKE_DB_PASSWORD', undefined, 'password'],
    ]);
    expect(user.envFrom.map((s) => [s.kind, s.name, s.via, s.optional])).toEqual([
      ['Secret', 'lotus-lake-terraform-vars', 'envSecrets', false],
      ['ConfigMap', 'lotus-env', 'envConfigMaps', true],
    ]);
    expect(byPath.dagsterWebserver?.image.written).toBe('docker.io/dagster/dagster-celery-k8s:1.9.11');
    expect(byPath.sidecar?.pullPolicy).toEqual({ value: undefined, explicit: false, path: undefined });
    expect(byPath.sidecar?.env).toEqual([{ name: 'MODE', value: 'fast', hasValue: true, path: ['spec', 'values', 'sidecar', 'env', 'MODE'] }]);
  });
});

describe('secrets and config maps', () => {
  it('knows keys of plain and SOPS-encrypted objects and CloudNativePG-generated Secrets', () => {
    const model = modelOf({
      repo: {
        'kustomization.yaml': 'namespace: data\nresources:\n  - db.yaml\n  - secret.yaml\n  - ha.yaml\n',
        'db.yaml': 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ducklake-db\nspec:\n  instances: 1\n',
        'ha.yaml': 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ha\nspec:\n  enableSuperuserAccess: true\n  bootstrap:\n    initdb:\n      secret:\n        name: ha-owner\n',
        'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\nstringData:\n    S3_ACCESS_KEY_ID: ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]\nsops:\n    mac: ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]\n',
      },
    });
    const app = model.configData.find('Secret', 'ducklake-db-app', 'data');
    expect(app?.origin).toBe('cnpg');
    expect([...(app?.keys ?? [])]).toEqual(['username', 'user', 'password', 'dbname', 'host', 'port', 'pgpass', 'uri', 'jdbc-uri', 'fqdn-uri', 'fqdn-jdbc-uri']);
    expect(model.configData.find('Secret', 'ducklake-db-superuser', 'data')).toBeUndefined();
    expect(model.configData.find('Secret', 'ha-superuser', 'data')?.origin).toBe('cnpg');
    expect(model.configData.find('Secret', 'ha-app', 'data')).toBeUndefined();
    const vars = model.configData.find('Secret', 'vars', 'data');
    expect(vars?.encrypted).toBe(true);
    expect([...(vars?.keys ?? [])]).toEqual(['S3_ACCESS_KEY_ID']);
    expect(model.configData.find('Secret', 'vars', 'elsewhere')).toBeUndefined();
  });
});
