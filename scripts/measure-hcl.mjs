// Measures HCL parser candidates on a generated 2,000-line module (reference VALIDATE-STAGE
// §1.3): cold (load + first parse) and warm (median of 15) times and process memory. The
// chosen parser (web-tree-sitter + the Terraform grammar) is a dependency; the Go/Wasm
// candidate `@cdktn/hcl2json` is measured when installed (`npm install --no-save
// @cdktn/hcl2json@0.24.0`), each in its own process so start-up costs do not mix.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function module2000() {
  let out = 'terraform {\n  required_providers {\n    airbyte = { source = "airbytehq/airbyte", version = "0.6.5" }\n  }\n}\n\n';
  for (let i = 0; out.split('\n').length < 2000; i++) {
    out += `variable "v${i}" {\n  type    = map(object({ a = optional(string, "x") }))\n  default = {}\n}\n\n`;
    out += `locals {\n  l${i} = "\${var.v${i}}-\${path.module}" # comment\n}\n\n`;
    out += `resource "airbyte_source" "s${i}" {\n  name = "s${i}"\n  configuration = {\n    cfg  = file("\${path.module}/files/x${i}.json")\n    list = [for k, v in var.v${i} : k if v != null]\n  }\n  lifecycle {\n    ignore_changes = [name]\n  }\n}\n\n`;
    out += `output "o${i}" {\n  value = <<-EOT\n    hello \${local.l${i}}\n  EOT\n}\n\n`;
  }
  return out;
}

const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];

async function measure(which) {
  const text = module2000();
  const started = performance.now();
  let parse;
  if (which === 'tree-sitter') {
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
    const language = await Language.load(readFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm')));
    const parser = new Parser();
    parser.setLanguage(language);
    parse = async () => {
      const tree = parser.parse(text);
      tree.rootNode.descendantsOfType('block');
      tree.delete();
    };
  } else {
    const hcl2json = require('@cdktn/hcl2json');
    parse = () => hcl2json.parse('main.tf', text);
  }
  await parse();
  const cold = performance.now() - started;
  const warm = [];
  for (let run = 0; run < 15; run++) {
    const start = performance.now();
    await parse();
    warm.push(performance.now() - start);
  }
  console.log(`${which}: ${text.split('\n').length} lines, cold ${cold.toFixed(0)} ms, warm ${median(warm).toFixed(1)} ms, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

const which = process.argv[2];
if (which) await measure(which);
else {
  for (const candidate of ['tree-sitter', '@cdktn/hcl2json']) {
    if (candidate !== 'tree-sitter') {
      try {
        require.resolve(candidate);
      } catch {
        console.log(`${candidate}: not installed, skipped`);
        continue;
      }
    }
    execFileSync(process.execPath, [new URL(import.meta.url).pathname, candidate], { stdio: 'inherit' });
  }
}
