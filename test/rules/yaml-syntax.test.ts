import rule from '../../rules/yaml-syntax.js';
import { RuleTester, yaml } from '../../src/testing/index.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'multi-document file',
      files: {
        'deploy/app.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: a
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: b
        `,
      },
    },
    { name: 'JSON file', files: { 'values.json': '{"a": 1, "b": [1, 2]}\n' } },
    { name: 'anchors within the alias limit', files: { 'a.yaml': 'base: &b {x: 1}\ncopy: *b\n' } },
    // 2,000 nested flow sequences: valid YAML deeper than the parser recurses (a note, not an error).
    { name: 'nesting deeper than the parser can recurse', files: { 'deep.yaml': `a: ${'['.repeat(2000)}${']'.repeat(2000)}\n` } },
  ],
  invalid: [
    {
      name: 'duplicate key in data',
      files: {
        'deploy/app.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: app
          data:
            mode: fast
            mode: safe
        `,
      },
      errors: [{ messageId: 'duplicateKey', file: 'deploy/app.yaml', line: 7, column: 3, endLine: 7, endColumn: 7 }],
    },
    {
      name: 'unclosed flow mapping in the second document, and a duplicate key in the first',
      files: {
        'deploy/two.yaml': yaml`
          a: 1
          a: 2
          ---
          b: {c: d
        `,
      },
      errors: [
        { messageId: 'duplicateKey', file: 'deploy/two.yaml', line: 2, column: 1, endLine: 2, endColumn: 2 },
        { messageId: 'syntax', file: 'deploy/two.yaml', line: 5, column: 1, endLine: 5, endColumn: 1 },
      ],
    },
    {
      name: 'one error for one misplaced indent, not one per line it throws off',
      files: {
        'deploy/app.yaml': yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: app
          data:
           a: "1"
            b: "2"
            c: "3"
            d: "4"
            e: "5"
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
           name: other
            namespace: apps
        `,
      },
      errors: [
        { messageId: 'syntax', file: 'deploy/app.yaml', line: 7, column: 1, endLine: 7, endColumn: 2 },
        { messageId: 'syntax', file: 'deploy/app.yaml', line: 15, column: 8, endLine: 15, endColumn: 9 },
      ],
    },
    {
      name: 'repeated merge keys in one mapping are duplicate keys; one << with a list is not',
      files: {
        'deploy/merge.yaml': yaml`
          base: &base {a: 1}
          extra: &extra {b: 2}
          fine:
            <<: [*base, *extra]
          twice:
            <<: *base
            c: 3
            <<: *extra
        `,
      },
      errors: [{ messageId: 'duplicateKey', file: 'deploy/merge.yaml', line: 8, column: 3, endLine: 8, endColumn: 5 }],
    },
    {
      name: 'billion laughs is bounded',
      files: {
        'bomb.yaml': yaml`
          a: &a ["x","x","x","x","x","x","x","x","x","x"]
          b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
          c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
          d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
          e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
          f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
        `,
      },
      errors: [{ messageId: 'aliasLimit', file: 'bomb.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 }],
    },
  ],
});
