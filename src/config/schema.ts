import type { Rule } from '../model/rule.js';
import { EXTERNAL_SOURCE_KINDS } from './types.js';

const LEVELS = ['error', 'warning', 'warn', 'note', 'off'];

/** Ajv options shared by the ahead-of-time config validator and the runtime fallback. */
export const CONFIG_AJV_OPTIONS = { allErrors: true, strict: false } as const;

/**
 * JSON Schema of `.gitops-lint.yaml`, built from the rules' option schemas so editors can
 * complete rule ids and options. `schemas/config.schema.json` is this, written by
 * `npm run generate:schema`; a test fails when the file is stale.
 */
export function buildConfigSchema(rules: ReadonlyArray<Rule<string, never>>): Record<string, unknown> {
  const level = { enum: LEVELS, description: 'Rule level; `off` disables the rule; `warn` is `warning`.' };
  const setting = (options: unknown) => ({
    anyOf: [
      { $ref: '#/definitions/level' },
      { type: 'array', items: [{ $ref: '#/definitions/level' }], minItems: 1, maxItems: 1 },
      { type: 'array', items: [{ $ref: '#/definitions/level' }, options], minItems: 2, maxItems: 2 },
    ],
  });
  const ruleProperties: Record<string, unknown> = {};
  for (const rule of [...rules].sort((a, b) => a.meta.id.localeCompare(b.meta.id))) {
    // Rules without options share one definition: the compiled validator then has one function
    // for all of them instead of a copy each (a single function body too large for TypeScript's
    // control flow analysis, TS2563, breaks type checking of the whole program).
    ruleProperties[rule.meta.id] = rule.meta.options
      ? { description: rule.meta.description, ...setting(rule.meta.options) }
      : { description: rule.meta.description, $ref: '#/definitions/ruleWithoutOptions' };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/gitops-lint/gitops-lint/schemas/config.schema.json',
    title: 'gitops-lint configuration (.gitops-lint.yaml)',
    type: 'object',
    additionalProperties: false,
    definitions: {
      level,
      ruleWithoutOptions: setting({ type: 'object', additionalProperties: false, properties: {} }),
    },
    properties: {
      extends: {
        description: 'Presets (`recommended`, `all`) or paths of other config files, applied in order.',
        anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      },
      ignore: { description: 'Globs, relative to the root, of files not to lint.', type: 'array', items: { type: 'string' } },
      baseline: {
        description: 'A baseline file written by `gitops-lint --write-baseline FILE`, relative to this config: the findings it lists are hidden (counted in the summary).',
        type: 'string',
      },
      repos: {
        description:
          'GitRepository name (or namespace/name) to the local path of the repository it fetches. `name@branch` (or `namespace/name@branch`) maps a GitRepository on that branch to a checkout of that branch.',
        type: 'object',
        additionalProperties: { type: 'string' },
      },
      externalSecrets: {
        description: 'Secrets that exist in the cluster but not in git, such as the SOPS age key.',
        type: 'array',
        items: {
          anyOf: [
            { type: 'string', description: 'Secret name, in any namespace, with any keys.' },
            {
              type: 'object',
              additionalProperties: false,
              required: ['name'],
              properties: {
                name: { type: 'string', description: 'Secret name.' },
                namespace: { type: 'string', description: 'Namespace; any namespace when omitted.' },
                keys: { type: 'array', items: { type: 'string' }, description: 'Key names; any key when omitted.' },
              },
            },
          ],
        },
      },
      externalSources: {
        description:
          'Flux sources that exist in the cluster but not in git (created by hand, by Terraform or by another tool). Kustomizations, HelmReleases and Terraforms that name one resolve; a GitRepository with a `url` is linked to a linted root like one written in git.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'name', 'namespace'],
          properties: {
            kind: { enum: [...EXTERNAL_SOURCE_KINDS], description: 'Source kind.' },
            name: { type: 'string', description: 'Source name.' },
            namespace: { type: 'string', description: 'Namespace of the source.' },
            url: { type: 'string', description: 'Repository URL; for a GitRepository, links it to the linted root named like its last segment (or by `repos:`).' },
            branch: { type: 'string', description: 'GitRepository branch (`spec.ref.branch`).' },
            tag: { type: 'string', description: 'GitRepository or OCIRepository tag (`spec.ref.tag`).' },
          },
        },
      },
      policies: {
        description:
          'Rego policies compiled to WebAssembly (`opa build -t wasm`), run on every applied object with conftest conventions (deny/violation/warn rules, `exception`). Paths are relative to this config file.',
        type: 'array',
        items: {
          anyOf: [
            { type: 'string', description: 'Path of a `bundle.tar.gz` or a `.wasm` module; package `main`.' },
            {
              type: 'object',
              additionalProperties: false,
              required: ['path'],
              properties: {
                path: { type: 'string', description: 'Path of a `bundle.tar.gz` or a `.wasm` module.' },
                data: { type: 'string', description: 'A JSON or YAML file merged into the policy data (over the bundle `data.json`).' },
                namespace: {
                  description: 'Rego packages whose rules run (conftest `--namespace`); default `main`.',
                  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
                },
                combine: { type: 'boolean', description: 'Evaluate once with every applied object as `[{path, contents}]` (conftest `--combine`).' },
                maxMemory: { type: 'integer', minimum: 1, maximum: 4096, description: 'Wasm memory cap in MiB (default 64).' },
                timeout: { type: 'integer', minimum: 1, description: 'Evaluation time budget of the policy for a run, in milliseconds (default 10000).' },
              },
            },
          ],
        },
      },
      rules: {
        description: 'Rule levels and options.',
        type: 'object',
        additionalProperties: false,
        properties: ruleProperties,
        patternProperties: {
          '^policy/[^/]+/[^/]+$': {
            description: 'A rule of a Rego policy: `policy/<package>/<rule>` (e.g. `policy/main/deny`).',
            anyOf: [level, { type: 'array', items: [level], minItems: 1, maxItems: 1 }, { type: 'array', items: [level, { type: 'object', additionalProperties: false, properties: {} }], minItems: 1, maxItems: 2 }],
          },
        },
      },
    },
  };
}
