import { describe, expect, it } from 'vitest';
import { holdsSecretValue, isCredential, isMaskedValue, isReference, type CredentialContext } from '../../src/engine/credential.js';

interface Case {
  name: string;
  key: string;
  value: unknown;
  context: CredentialContext;
}

function judge(cases: readonly Case[], expected: boolean): void {
  for (const { name, key, value, context } of cases) {
    it(name, () => {
      expect(isCredential(key, value, context)).toBe(expected);
      // Whatever a rule reports is masked in code frames.
      if (expected) expect(isMaskedValue(key, value)).toBe(true);
    });
  }
}

describe('credentials', () => {
  describe('are reported', () => {
    judge(
      [
        { name: 'a chart password that is a common word', key: 'password', value: 'admin', context: 'setting' },
        { name: 'an env password equal to its own name', key: 'MYSQL_ROOT_PASSWORD', value: 'password', context: 'env' },
        { name: 'the Grafana admin password of the Flux monitoring example', key: 'adminPassword', value: 'flux', context: 'setting' },
        { name: 'a GitHub token in env', key: 'GITHUB_TOKEN', value: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', context: 'env' },
        { name: 'an API key in env', key: 'OPENAI_API_KEY', value: 'sk-proj-abc', context: 'env' },
        { name: 'an access key in Helm values', key: 'accessKey', value: 'AKIAIOSFODNN7EXAMPLE', context: 'setting' },
        { name: 'an AWS secret access key in Helm values', key: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', context: 'setting' },
        { name: 'a private key in Helm values', key: 'privateKey', value: '-----BEGIN PRIVATE KEY-----', context: 'setting' },
        { name: 'a short pass in env', key: 'SMTP_PASS', value: 'hunter2', context: 'env' },
        { name: 'an OAuth client secret that looks like a name', key: 'clientSecret', value: 'grafana-oauth', context: 'setting' },
        { name: 'a cookie secret in hex, token-like under a Secret-name suffix', key: 'cookieSecret', value: '3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c', context: 'setting' },
        { name: 'a Secret-name suffix holding a token-like value', key: 'existingSecret', value: '0f2a9c1b8e7d6c5b4a3f2e1d', context: 'setting' },
        { name: 'a Secret-name suffix holding a value that is no Kubernetes name', key: 'envFromSecret', value: 'Tr0ub4dor&3', context: 'setting' },
        { name: 'a *_SECRET environment variable that looks like a name', key: 'JWT_SECRET', value: 'my-jwt-secret', context: 'env' },
        { name: 'Django SECRET_KEY in env', key: 'SECRET_KEY', value: 'django-insecure-abc', context: 'env' },
        { name: 'Django SECRET_KEY in a chart setting map', key: 'SECRET_KEY', value: 'django-insecure-abc', context: 'setting' },
        { name: 'a lone secret key', key: 'secret', value: 'changeme', context: 'setting' },
        { name: 'a URL with a token in its query', key: 'WEBHOOK_TOKEN', value: 'https://hooks.example.com/in?token=abc', context: 'env' },
        { name: 'a URL with user information', key: 'DB_PASSWORD', value: 'postgres://app:hunter2@db/app', context: 'env' },
        { name: 'a password key holding a value with spaces, not a key name', key: 'passwordKey', value: 'correct horse battery', context: 'setting' },
        { name: 'a Vault AppRole secret_id, a UUID', key: 'secret_id', value: '6a174c20-f6de-a53c-74d2-6018fcceff64', context: 'setting' },
      ],
      true,
    );
  });

  describe('keys with a slash are not credentials', () => {
    judge(
      [
        { name: 'the reloader annotation', key: 'secret.reloader.stakater.com/reload', value: 'autobrr-secret', context: 'setting' },
        { name: 'a CSI provisioner secret name', key: 'csi.storage.k8s.io/provisioner-secret-name', value: 'rook-csi-rbd-provisioner', context: 'setting' },
      ],
      false,
    );
  });

  describe('keys that name a Secret, its namespace or its keys are not credentials when the value is such a name', () => {
    judge(
      [
        { name: 'bitnami auth.existingSecret', key: 'existingSecret', value: 'airbyte-db', context: 'setting' },
        { name: 'grafana envFromSecret', key: 'envFromSecret', value: 'grafana-env', context: 'setting' },
        { name: 'actions-runner-controller githubConfigSecret', key: 'githubConfigSecret', value: 'home-ops-runner-secret', context: 'setting' },
        { name: 'FluxInstance pullSecret', key: 'pullSecret', value: 'ghcr-auth', context: 'setting' },
        { name: 'bitnami tls.certificatesSecret', key: 'certificatesSecret', value: 'postgres-tls', context: 'setting' },
        { name: 'a secretName', key: 'secretName', value: 'bjw-s-dev-tls', context: 'setting' },
        { name: 'a password Secret name', key: 'passwordSecretName', value: 'webapp-password', context: 'setting' },
        { name: 'a secretNamespace', key: 'secretNamespace', value: 'flux-system', context: 'setting' },
        { name: 'a -secret-namespace key', key: 'provisioner-secret-namespace', value: 'rook-ceph', context: 'setting' },
        { name: 'a secretRef string', key: 'secretRef', value: 'renovate-secret', context: 'setting' },
        { name: 'a secretProviderClass', key: 'secretProviderClass', value: 'akv-grafana-spc', context: 'setting' },
        { name: 'a *_SECRET_NAME environment variable', key: 'TLS_SECRET_NAME', value: 'ingress-tls', context: 'env' },
        { name: 'bitnami adminPasswordKey', key: 'adminPasswordKey', value: 'postgres-password', context: 'setting' },
        { name: 'grafana admin.passwordKey', key: 'passwordKey', value: 'admin-password', context: 'setting' },
        { name: 'an ExternalSecret secretKey', key: 'secretKey', value: 'tls.crt', context: 'setting' },
        { name: 'an existingSecretPasswordKey with an upper-case key', key: 'existingSecretPasswordKey', value: 'NAUTOBOT_DB_PASSWORD', context: 'setting' },
        { name: 'a GCP Secret Manager secret id in Ansible vars', key: 'gcp_letsencrypt_secret_id', value: 'letsencrypt-account-key', context: 'setting' },
        { name: 'a secret_id naming a GCP secret', key: 'secret_id', value: 'sops-k8s-gitops-dev', context: 'setting' },
        { name: 'a Taskfile var naming the entry of a Secret', key: 'flux_sops_secret_entry', value: 'sops.agekey', context: 'setting' },
      ],
      false,
    );
  });

  describe('references are not credentials', () => {
    judge(
      [
        { name: 'a bare $VAR', key: 'password', value: '$DB_PASSWORD', context: 'setting' },
        { name: 'a Flux ${VAR}', key: 'password', value: '${AIRBYTE_DB_PASSWORD}', context: 'setting' },
        { name: 'a Flux ${VAR:=default}', key: 'API_TOKEN', value: '${API_TOKEN:=}', context: 'env' },
        { name: 'a Kubernetes $(VAR) inside a header', key: 'AUTH_TOKEN', value: 'Bearer $(API_TOKEN)', context: 'env' },
        { name: 'a Helm template', key: 'password', value: '{{ .Values.global.password }}', context: 'setting' },
        { name: 'a Grafana $__file{}', key: 'client_secret', value: '$__file{/etc/secrets/oauth/client-secret}', context: 'setting' },
        { name: 'a 1Password op:// reference', key: 'token', value: 'op://Automation/1password connect/token', context: 'setting' },
        { name: 'a vals ref+ reference', key: 'password', value: 'ref+vault://secret/db#/password', context: 'setting' },
        { name: 'a bank-vaults vault: reference', key: 'AWS_SECRET_ACCESS_KEY', value: 'vault:secret/data/aws#AWS_SECRET_ACCESS_KEY', context: 'env' },
        { name: 'a sops-encrypted value', key: 'rootPassword', value: 'ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]', context: 'setting' },
        { name: 'a secretKeyRef-style object', key: 'password', value: { secretKeyRef: { name: 'db', key: 'password' } }, context: 'setting' },
      ],
      false,
    );
  });

  describe('durations, booleans, numbers and empty strings are not credentials', () => {
    judge(
      [
        { name: 'a duration', key: 'refreshToken', value: '720h', context: 'setting' },
        { name: 'a compound duration', key: 'tokenRefresh', value: '1h30m', context: 'setting' },
        { name: 'a boolean string', key: 'PASSWORD_LOGIN', value: 'false', context: 'env' },
        { name: 'a YAML boolean', key: 'automountServiceAccountToken', value: true, context: 'setting' },
        { name: 'a number string', key: 'PASSWORD_ROUNDS', value: '12', context: 'env' },
        { name: 'a YAML number', key: 'password', value: 1234, context: 'setting' },
        { name: 'an empty string', key: 'postgresPassword', value: '', context: 'setting' },
        { name: 'blanks', key: 'GITHUB_TOKEN', value: '  ', context: 'env' },
        { name: 'null', key: 'password', value: null, context: 'setting' },
      ],
      false,
    );
  });

  describe('keys that do not name a credential, or name a setting about one, are not credentials', () => {
    judge(
      [
        { name: 'a username', key: 'username', value: 'airbyte', context: 'setting' },
        { name: 'a pass-through switch', key: 'OG_PASSTHROUGH', value: 'tls', context: 'env' },
        { name: 'a token URL', key: 'tokenUrl', value: 'https://github.com/login/oauth/access_token', context: 'setting' },
        { name: 'a secret provider', key: 'SECRET_PROVIDER', value: '1password', context: 'env' },
        { name: 'a password file path', key: 'API_SECRET_FILE', value: '/run/secrets/api_secret', context: 'env' },
        { name: 'a password policy', key: 'passwordPolicy', value: 'strong', context: 'setting' },
        { name: 'a switch that creates the Secret', key: 'createSecret', value: 'yes-please', context: 'setting' },
        { name: 'a tokenizer', key: 'tokenizer', value: 'cl100k_base', context: 'setting' },
        { name: 'a token budget', key: 'maxTokens', value: 'unlimited', context: 'setting' },
        { name: 'a token lifetime', key: 'TOKEN_LIFETIME', value: 'one-day', context: 'env' },
      ],
      false,
    );
  });
});

describe('references', () => {
  it('recognises each kind, with surrounding blanks and a block scalar newline', () => {
    for (const value of ['$VAR', '${VAR}', 'prefix-${VAR}', '$(VAR)', '{{ .X }}', '$__env{HOME}', 'op://vault/item/field\n', 'ref+awsssm://p', 'vault:secret/x#y', ' ENC[AES256_GCM,data:x]']) {
      expect(isReference(value), value).toBe(true);
    }
  });

  it('leaves literals alone, including ones that mention a scheme or a dollar', () => {
    for (const value of ['hunter2', 'op:/vault', 'price$', '$1abc', 'ref+', 'vaulted', '{ .X }', 'https://example.com']) {
      expect(isReference(value), value).toBe(false);
    }
  });
});

describe('values of plaintext Secrets', () => {
  it('hold a secret unless they are empty or references', () => {
    expect(holdsSecretValue('hunter2')).toBe(true);
    expect(holdsSecretValue(5432)).toBe(true);
    expect(holdsSecretValue('op://kubernetes/1password/OP_CONNECT_TOKEN')).toBe(false);
    expect(holdsSecretValue('${CLOUDFLARE_TUNNEL_TOKEN}')).toBe(false);
    expect(holdsSecretValue('')).toBe(false);
    expect(holdsSecretValue(null)).toBe(false);
  });
});

describe('masking', () => {
  it('keeps masking every name masked before the credential judgement', () => {
    for (const key of ['secret.reloader.stakater.com/reload', 'githubConfigSecret', 'password', 'DB_PASSWORD', 'clientSecret', 'ACCESS_KEY']) {
      expect(isMaskedValue(key, 'anything'), key).toBe(true);
    }
  });

  it('masks credentials under names it did not mask before', () => {
    expect(isMaskedValue('SECRET_KEY', 'django-insecure-abc')).toBe(true);
    expect(isMaskedValue('existingSecret', '0f2a9c1b8e7d6c5b4a3f2e1d')).toBe(true);
  });

  it('leaves the names of Secrets readable', () => {
    expect(isMaskedValue('existingSecret', 'airbyte-db')).toBe(false);
    expect(isMaskedValue('secretName', 'bjw-s-dev-tls')).toBe(false);
  });
});

describe('placeholders and public key material are no credentials', () => {
  it('a run of X or an angle-bracket hint is a placeholder', () => {
    expect(isCredential('OPENAI_API_KEY', 'sk-XXXXXXXXXXXXXXXXXXXX', 'env')).toBe(false);
    expect(isCredential('token', '<your-token>', 'setting')).toBe(false);
    expect(isCredential('password', 'hunter2', 'setting')).toBe(true);
  });

  it('SSH public keys and PEM certificates are public; a PEM private key is not', () => {
    expect(holdsSecretValue('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3 user@host\nssh-rsa AAAAB3NzaC1yc2E= other@host\n')).toBe(false);
    expect(holdsSecretValue('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')).toBe(false);
    expect(holdsSecretValue('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n')).toBe(true);
  });
});
