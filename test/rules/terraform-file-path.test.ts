import rule from '../../rules/terraform-file-path.js';
import { RuleTester } from '../../src/testing/index.js';

const MODULE = 'orchestration/airbyte/terraform';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'paths from path.module, path.root and relative literals that exist; fileset that matches',
      files: {
        [`${MODULE}/main.tf`]: [
          'locals {',
          '  a = file("${path.module}/../../assets/x.json")',
          '  b = templatefile("templates/conn.tftpl", { name = "x" })',
          '  c = filebase64("${path.root}/templates/conn.tftpl")',
          '  d = fileset(path.module, "schemas/**/*.json")',
          '  e = file(var.dynamic_path)',
          '  f = file("/etc/hosts")',
          '}',
          '',
        ].join('\n'),
        'orchestration/assets/x.json': '{}\n',
        [`${MODULE}/templates/conn.tftpl`]: 'x\n',
        [`${MODULE}/schemas/shopify/orders.json`]: '{}\n',
      },
    },
    {
      name: 'a child module: relative paths depend on the caller and are not checked',
      files: {
        'infra/main.tf': 'module "net" {\n  source = "./modules/net"\n}\n',
        'infra/modules/net/main.tf': 'locals {\n  a = file("net.json")\n  b = file("${path.root}/net.json")\n}\n',
        'infra/net.json': '{}\n',
      },
    },
    {
      name: 'optional reads: inside try() or can(), or of a path the module probes with fileexists()',
      files: {
        [`${MODULE}/main.tf`]: [
          'locals {',
          '  a = try(jsondecode(file("${path.module}/overrides.json")), {})',
          '  b = can(file("extra.yaml")) ? "yes" : "no"',
          '  has_policy = fileexists("${path.module}/policy.json")',
          '}',
          '',
        ].join('\n'),
        [`${MODULE}/policy.tf`]: 'locals {\n  policy = local.has_policy ? file("${path.module}/policy.json") : null\n}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'file() after the assets folder was renamed',
      files: {
        [`${MODULE}/sources.tf`]: 'locals {\n  catalog = jsondecode(file("${path.module}/../../assets/x.json"))\n}\n',
        'orchestration/static/x.json': '{}\n',
      },
      errors: [
        {
          messageId: 'missing',
          data: { fn: 'file', written: '"${path.module}/../../assets/x.json"', path: 'orchestration/assets/x.json', repo: 'repo' },
          file: `${MODULE}/sources.tf`, line: 2, column: 29, endLine: 2, endColumn: 65,
        },
      ],
    },
    {
      name: 'a missing file read in one branch of a conditional: a warning, since validate and the other branch pass',
      files: {
        [`${MODULE}/notifications.tf`]: 'locals {\n  notifications = var.slack ? { template = file("${path.module}/templates/slack.tpl") } : {}\n}\n',
      },
      errors: [
        {
          messageId: 'missingInBranch',
          level: 'warning',
          data: { fn: 'file', written: '"${path.module}/templates/slack.tpl"', path: `${MODULE}/templates/slack.tpl`, repo: 'repo' },
          file: `${MODULE}/notifications.tf`, line: 2, column: 49, endLine: 2, endColumn: 85,
        },
      ],
    },
    {
      name: 'a path that leaves the repository, a folder, and a fileset with no match',
      files: {
        'infra/main.tf': 'locals {\n  a = file("../../outside.json")\n  b = file("${path.module}/templates")\n  c = fileset("${path.module}/schemas", "*.yaml")\n}\n',
        'infra/templates/x.tftpl': 'x\n',
        'infra/schemas/x.json': '{}\n',
      },
      errors: [
        { messageId: 'outside', data: { fn: 'file', written: '"../../outside.json"', repo: 'repo' }, file: 'infra/main.tf', line: 2, column: 12, endLine: 2, endColumn: 32 },
        { messageId: 'directory', data: { fn: 'file', written: '"${path.module}/templates"', path: 'infra/templates', repo: 'repo' }, file: 'infra/main.tf', line: 3, column: 12, endLine: 3, endColumn: 38 },
        { messageId: 'filesetEmpty', data: { fn: 'fileset', written: '"${path.module}/schemas"', path: 'infra/schemas', repo: 'repo', pattern: '"*.yaml"' }, file: 'infra/main.tf', line: 4, column: 7, endLine: 4, endColumn: 50, level: 'warning' },
      ],
    },
    {
      name: 'two modules with the same file text: each call is resolved in its own folder',
      files: {
        'infra/a/read.tf': 'locals {\n  x = file("${path.module}/x.json")\n}\n',
        'infra/a/x.json': '{}\n',
        'infra/b/read.tf': 'locals {\n  x = file("${path.module}/x.json")\n}\n',
      },
      errors: [{ messageId: 'missing', data: { fn: 'file', written: '"${path.module}/x.json"', path: 'infra/b/x.json', repo: 'repo' }, file: 'infra/b/read.tf', line: 2, column: 12, endLine: 2, endColumn: 35 }],
    },
    {
      name: 'the same file text in a root module and in the child it calls: path.root is checked in the root only',
      files: {
        'infra/main.tf': 'module "c" {\n  source = "./c"\n}\n',
        'infra/read.tf': 'locals {\n  x = file("${path.root}/data.json")\n}\n',
        'infra/c/read.tf': 'locals {\n  x = file("${path.root}/data.json")\n}\n',
      },
      errors: [{ messageId: 'missing', data: { fn: 'file', written: '"${path.root}/data.json"', path: 'infra/data.json', repo: 'repo' }, file: 'infra/read.tf', line: 2, column: 12, endLine: 2, endColumn: 36 }],
    },
  ],
});
