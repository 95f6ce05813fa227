/**
 * The one judgement of "is this literal a credential", shared by every rule that asks it
 * (`isCredential` for `no-plaintext-sensitive-env`; `holdsSecretValue`, built on the same
 * `isReference`, for `sops-secret-encrypted` and `sops-creation-rules`, which accept a
 * plaintext Secret whose values are all references) and by the masking of code frames
 * (`isMaskedValue`, a superset of `isCredential`).
 *
 * A key/value pair is a credential when all of these hold:
 *
 * 1. The value is a non-empty string (YAML numbers, booleans, null, maps and lists are not:
 *    a `secretKeyRef`-style object is walked by the caller, never judged as a whole).
 * 2. The value is not a reference (`isReference`): `$VAR`, `${VAR}`, `$(VAR)`, `{{ … }}`,
 *    Grafana's `$__file{…}`/`$__env{…}`/`$__vault{…}`, 1Password `op://…`, vals `ref+…://…`,
 *    bank-vaults `vault:…`, sops `ENC[…]`. The secret then lives where the reference points.
 * 3. The key has no `/`: such keys are annotations, labels or CSI StorageClass parameters
 *    (`secret.reloader.stakater.com/reload`, `csi.storage.k8s.io/provisioner-secret-name`).
 * 4. The key's words name a credential (`password`, `passwd`, `pass`, `passphrase`, `secret`,
 *    `token`, `credential`, `apikey`, `api key`, `access key`, `private key`, `auth key`…) and
 *    do not end in a word that describes a setting *about* one (`tokenUrl`, `TOKEN_TTL`,
 *    `passwordFile`, `secretProvider`, `passwordPolicy`…) or start with a switch
 *    (`usePasswordFiles`, `createSecret`, `generateToken`…).
 * 5. The key does not name a Secret, its namespace, or a key inside it, with a value shaped
 *    like such a name (a DNS-1123 name, or a Secret data key for key names) that is not
 *    token-like. The suffixes come from real charts' values:
 *    - grafana/helm-charts `charts/grafana/values.yaml`: `admin.existingSecret` with
 *      `admin.userKey`/`admin.passwordKey`, `smtp.existingSecret`, `ldap.existingSecret`,
 *      `envFromSecret` (a name), `envFromSecrets` (names), `extraSecretMounts[].secretName`,
 *      `secretProviderClass`, `image.pullSecrets`;
 *    - bitnami/charts `bitnami/postgresql/values.yaml`: `auth.existingSecret`,
 *      `auth.secretKeys.adminPasswordKey: postgres-password` (a key name), `tls.certificatesSecret`,
 *      `primary.initdb.scriptsSecret`; nautobot's docs add `existingSecretPasswordKey`;
 *    - Flux repositories (onedr0p/home-ops, bjw-s-labs/home-ops, controlplaneio-fluxcd/d2-fleet):
 *      actions-runner-controller `githubConfigSecret`, FluxInstance `distribution.pullSecret`,
 *      rook-ceph StorageClass `csi.storage.k8s.io/*-secret-name|-secret-namespace`, ExternalSecret
 *      `data[].secretKey` (26 values there, all key names), `credentialsName`, `secretRef`.
 *    So: a last word `name(s)`, `namespace(s)`, `ref(s)`, `store` or `class` (`secretName`,
 *    `secretNamespace`, `secretStoreRef`, `secretProviderClass`); a first word `existing`;
 *    a last word `id(s)` in a setting, unless the value is a UUID (GCP Secret Manager's
 *    `secret_id: letsencrypt-account-key`; a Vault AppRole `secret_id` is a UUID);
 *    a last word `secret(s)` after another word (`existingSecret`, `envFromSecret`,
 *    `certificatesSecret`) unless that word makes it a credential (`clientSecret`,
 *    `cookieSecret`, `jwtSecret`, `webhookSecret`…); a last word `key(s)` after a credential
 *    word (`passwordKey`, `adminPasswordKey`, `secretKey`, `tokenKey`, `secret_entry`) but not `apiKey`,
 *    `accessKey`, `privateKey` or `authKey`. In environment variables `*_SECRET` and
 *    `*_SECRET_KEY` are credentials (`JWT_SECRET`, Django's `SECRET_KEY`), so only the
 *    name/namespace/ref/store/class suffixes and `EXISTING_…` count there; an upper-case
 *    snake-case key is taken for an environment variable wherever it is written.
 * 6. The value is not a boolean, a number, a duration (`24h`, `1h30m`) or a URL without user
 *    information or query (`https://auth.example.com/realms/x`).
 *
 * `password: admin`, `MYSQL_ROOT_PASSWORD: password` and `adminPassword: flux` stay credentials.
 */

/** Where a key sits: an environment variable name, or a setting (Helm values and the like). */
export type CredentialContext = 'env' | 'setting';

/** The names masked in code frames since the first release; masking never narrows below them. */
const MASKED_NAME = /(pass(word|wd|phrase)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|client[-_]?secret|auth[-_]?(key|token))/i;
const MASK_EXEMPT_NAME = /(^existing|secret[-_]?(name|key|ref)s?$|(name|ref|refs|key[-_]?ref|file|path|enabled|env|mount)$|^(use|enable|create|generate))/i;

/** A word that is itself a credential, or contains one (`dbpassword`, `htpasswd`, `apikey`). */
const CREDENTIAL_WORD = /password|passwd|passphrase|secret|token|credential|apikey|accesskey|privatekey|authkey/;
const CREDENTIAL_EXACT = new Set(['pass']);
/** Words that contain a credential word but are not one. */
const NOT_CREDENTIAL_WORD = /^tokeni[sz]/;
/** Two-word credentials: `api key`, `access key`, `private key`, `auth key`. */
const KEY_QUALIFIER = new Set(['api', 'access', 'private', 'auth']);

/** A last word that describes a setting about a credential, not the credential itself. */
const SETTING_TAIL = new Set([
  'url', 'urls', 'uri', 'endpoint', 'host', 'hostname', 'port', 'ttl', 'timeout', 'expiry', 'expiration', 'expires',
  'lifetime', 'duration', 'length', 'len', 'size', 'policy', 'provider', 'type', 'mode', 'format', 'algorithm', 'header',
  'field', 'claim', 'issuer', 'audience', 'scope', 'scopes', 'prefix', 'suffix', 'version', 'interval', 'period', 'count',
  'limit', 'enabled', 'disabled', 'required', 'file', 'files', 'path', 'paths', 'dir', 'mount', 'env', 'annotations',
  'labels', 'template', 'strategy', 'regex',
]);
/** A first word that makes the key a switch or a quantity (`usePasswordFiles`, `createSecret`, `maxTokens`). */
const SETTING_HEAD = new Set(['use', 'enable', 'disable', 'create', 'generate', 'auto', 'allow', 'require', 'skip', 'rotate', 'reuse', 'max', 'min', 'num']);
/** A last word that makes the key name an object (`secretName`, `secretProviderClass`). */
const NAME_TAIL = new Set(['name', 'names', 'namespace', 'namespaces', 'ref', 'refs', 'store', 'class']);
/** A word before `secret` that makes `<word>Secret` a credential rather than a Secret's name. */
const SECRET_QUALIFIER = new Set([
  'client', 'cookie', 'jwt', 'session', 'webhook', 'shared', 'hmac', 'app', 'application', 'api', 'consumer', 'signing',
  'encryption', 'oauth', 'oidc', 'rpc', 'master', 'access',
]);

/** An environment variable's name, wherever it is written: `SECRET_KEY`, `GF_SECURITY_ADMIN_PASSWORD`. */
const ENV_NAME = /^[A-Z][A-Z0-9]*(_+[A-Z0-9]+)+$/;

/** DNS-1123 subdomain: the name of a Secret (or any namespaced object). */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1123 label: a namespace. */
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A key of a Secret's `data`. */
const DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
/** Last words that name a key inside a Secret (`passwordKey`, `flux_sops_secret_entry: sops.agekey`). */
const KEY_TAIL = new Set(['key', 'keys', 'entry', 'entries']);
/** Vault AppRole `secret_id`s are UUIDs: a credential even under an `…_id` key. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const BOOLEAN = /^(true|false|yes|no|on|off)$/i;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Go durations (`24h`, `1h30m`, `500ms`) and the day/week units many apps accept. */
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w))+$/;
/** A URL without user information or query names a place, not a credential (`AUTH_URL`). */
const PLAIN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/@?#\s]*(?:\/[^@?#\s]*)?$/i;

/** Values built from references: the credential is wherever the reference points. */
const CONTAINS_REFERENCE = [
  /\$\{[^}]*\}/, // `${VAR}`: Flux post-build substitution, shell, `${{ … }}` of CI files
  /\$\([A-Za-z_][\w.-]*\)/, // `$(VAR)`: Kubernetes dependent environment variables
  /\{\{[\s\S]*\}\}/, // `{{ … }}`: Helm `tpl`, ExternalSecret templates
];
const WHOLE_REFERENCE = [
  /^\$[A-Za-z_]\w*$/, // `$VAR`
  /^\$__(env|file|vault)\{[^}]*\}$/, // Grafana variable expansion
  /^op:\/\/\S/, // 1Password secret reference (`op inject`, 1Password operator)
  /^ref\+[a-z0-9]+:\/\/\S/, // vals (helmfile) reference
  /^vault:\S/, // bank-vaults webhook reference
  /^ENC\[/, // sops-encrypted value
];

/** Whether a value is (or is built from) a reference to a secret kept elsewhere. */
export function isReference(value: string): boolean {
  const trimmed = value.trim();
  return CONTAINS_REFERENCE.some((pattern) => pattern.test(trimmed)) || WHOLE_REFERENCE.some((pattern) => pattern.test(trimmed));
}

/**
 * A placeholder, not a value: a run of X's (`sk-XXXXXXXXXXXXXXXX`, `xxxxxxxx`) or an angle-bracket
 * hint (`<your-token>`), as example values and docs write them.
 */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return /^[A-Za-z0-9_-]{0,8}[xX]{6,}$/.test(trimmed) || /^<[^<>]{1,80}>$/.test(trimmed);
}

/**
 * Public key material, readable by design: SSH public keys (one per line, as authorized_keys
 * holds them), PEM certificates and public keys. A PEM *private* key never matches.
 */
export function isPublicKeyMaterial(value: string): boolean {
  const lines = value.trim().split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (lines.length === 0) return false;
  if (lines.every((line) => /^(?:(?:[a-z0-9-]+=\S+|[a-z-]+)(?:,\S+)*\s+)?(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+[A-Za-z0-9+/=]+/.test(line.trim()))) return true;
  const text = value.trim();
  return /^-----BEGIN (?:CERTIFICATE|PUBLIC KEY)-----/.test(text) && !/PRIVATE KEY-----/.test(text);
}

/** Whether the literal `value` written under `key` is a credential. */
export function isCredential(key: string, value: unknown, context: CredentialContext): boolean {
  if (typeof value !== 'string') return false;
  // The key first: almost no key names a credential, and keys repeat across a repository.
  const words = credentialWords(key);
  if (words === null) return false;
  const trimmed = value.trim();
  if (trimmed === '' || isReference(trimmed) || isPlaceholder(trimmed) || isPublicKeyMaterial(trimmed)) return false;
  // `SECRET_KEY: …` under a chart's `config:` or `extraEnv:` is an environment variable too.
  if (namesObject(words, trimmed, ENV_NAME.test(key) ? 'env' : context)) return false;
  return !BOOLEAN.test(trimmed) && !NUMBER.test(trimmed) && !DURATION.test(trimmed) && !PLAIN_URL.test(trimmed);
}

/**
 * Whether code frames mask the value under `key`: every credential in either context, plus
 * every name masked before this module existed (masking more is safe, masking less never).
 */
export function isMaskedValue(key: string, value: unknown): boolean {
  const role = maskedKeyRole(key);
  return role === MASKED_KEY || (role === CREDENTIAL_KEY && (isCredential(key, value, 'env') || isCredential(key, value, 'setting')));
}

/** A key whose values are masked whatever they hold (`MASKED_NAME`, not exempt). */
const MASKED_KEY = 1;
/** A key whose values are masked when they are credentials (`isCredential` decides by the value). */
const CREDENTIAL_KEY = 2;
/** A key whose values are never masked: neither a masked name nor a credential's words. */
const PLAIN_KEY = 0;
const keyRoles = new Map<string, number>();

/**
 * What `isMaskedValue` can answer for a key before looking at the value, remembered per key:
 * the mask walks ask it for every key of every file with a finding (a few thousand times a
 * run, cold), and two regexes and two word lookups per ask were most of their time. The same
 * answer: `isCredential` is false for every value when the key has no credential words.
 */
function maskedKeyRole(key: string): number {
  let role = keyRoles.get(key);
  if (role === undefined) {
    role = MASKED_NAME.test(key) && !MASK_EXEMPT_NAME.test(key) ? MASKED_KEY : credentialWords(key) === null ? PLAIN_KEY : CREDENTIAL_KEY;
    if (keyRoles.size >= MAX_REMEMBERED_KEYS) keyRoles.clear();
    keyRoles.set(key, role);
  }
  return role;
}

const MAX_REMEMBERED_KEYS = 4096;
const keyWords = new Map<string, readonly string[] | null>();

/** The words of a key that names a credential (not a setting about one, not an annotation), else null. Remembered. */
function credentialWords(key: string): readonly string[] | null {
  let words = keyWords.get(key);
  if (words === undefined) {
    const split = key.includes('/') ? [] : wordsOf(key);
    words = split.length > 0 && namesCredential(split) && !namesSetting(split) ? split : null;
    if (keyWords.size >= MAX_REMEMBERED_KEYS) keyWords.clear();
    keyWords.set(key, words);
  }
  return words;
}

/** `adminPasswordKey` → admin, password, key; `AWS_SECRET_ACCESS_KEY` → aws, secret, access, key. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

function isCredentialWord(word: string): boolean {
  return CREDENTIAL_EXACT.has(word) || (CREDENTIAL_WORD.test(word) && !NOT_CREDENTIAL_WORD.test(word));
}

function namesCredential(words: readonly string[]): boolean {
  return words.some((word, index) => isCredentialWord(word) || (word === 'key' && KEY_QUALIFIER.has(words[index - 1] ?? '')));
}

function namesSetting(words: readonly string[]): boolean {
  return SETTING_TAIL.has(words.at(-1) ?? '') || SETTING_HEAD.has(words[0] ?? '');
}

/** A key that names a Secret, its namespace or one of its keys, holding such a name. */
function namesObject(words: readonly string[], value: string, context: CredentialContext): boolean {
  const last = words.at(-1) ?? '';
  const before = words.at(-2);
  const existing = words[0] === 'existing';
  if (last === 'namespace' || last === 'namespaces') return DNS_LABEL.test(value);
  if (isTokenLike(value)) return false;
  const keyName = KEY_TAIL.has(last) && before !== undefined && isCredentialWord(before);
  if (keyName && (context === 'setting' || existing) && DATA_KEY.test(value)) return true;
  // `gcp_letsencrypt_secret_id: letsencrypt-account-key`: the id of a secret in a secret
  // manager (GCP Secret Manager ids are names), unless it is a UUID.
  if ((last === 'id' || last === 'ids') && context === 'setting') return DNS_SUBDOMAIN.test(value) && !UUID.test(value);
  if (NAME_TAIL.has(last) || existing) return DNS_SUBDOMAIN.test(value);
  if (context === 'env' || before === undefined) return false;
  return (last === 'secret' || last === 'secrets') && !SECRET_QUALIFIER.has(before) && DNS_SUBDOMAIN.test(value);
}

/** Long unbroken letters-and-digits: a generated token, whatever key it sits under. */
function isTokenLike(value: string): boolean {
  return value.length >= 16 && /^[A-Za-z0-9+/=_]+$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value);
}

/**
 * Whether a value of a plaintext Secret holds a secret: any non-empty scalar except a
 * reference (`op://…` that `op inject` resolves, `${VAR}` that Flux post-build substitution
 * fills from `substituteFrom`, …). Unlike `isCredential`, numbers and short words count:
 * everything in a Secret is taken to be secret.
 */
export function holdsSecretValue(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  return typeof value === 'string' && value.trim() !== '' && !isReference(value) && !isPlaceholder(value) && !isPublicKeyMaterial(value);
}
