// Bundles the package into dist/cli/main.cjs with esbuild, straight from the TypeScript
// sources: the CLI (language server included) and the library API (src/package.ts), with
// their dependencies, so an install needs nothing else but ajv. A Node process that resolves
// and loads ~150 small modules spends more time doing that than linting a seed-sized repo:
// one file halves start-up, and as CommonJS it can be compiled through a V8 code cache
// (bin/gitops-lint.js), which saves most of the rest. The language server's modules are only
// initialised by `gitops-lint lsp` (esbuild keeps a dynamic import lazy); ajv (needed only to
// validate configs of rule sets other than the built-in one, whose validator is compiled
// ahead) stays an ordinary dependency; the runtime helpers the compiled validator requires
// (`ajv/dist/runtime/…`) are bundled, so the bundle runs without node_modules (the pre-commit
// hook runs it from a plain clone). The library's types are bundled into one declaration
// file, dist/cli/main.d.cts, with the `yaml` types it mentions inlined.
//
// Both files are committed, and package.json has no build/prepare/prepack script: with one,
// npm 11 installs a git dependency globally as a symlink into its temporary clone, which it
// then deletes (npm/cli#6984, #9406), so `npm install -g git+…` would install nothing.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const outdir = new URL('../dist/cli/', import.meta.url).pathname;

const requireHere = createRequire(import.meta.url);

// Node built-ins whose first require costs milliseconds (crypto ~4-10 ms, child_process ~2 ms,
// zlib ~2 ms on this machine) and that a run often does not use: crypto hashes only findings'
// fingerprints and generator names, child_process starts git only inside a work tree, zlib only
// unpacks policy bundles. Their imports get a stand-in whose functions require the built-in on
// first call. Only functions are forwarded: importing a class, a constant or the default export
// of one of them fails the bundle (add a plain import of another built-in instead).
const LAZY_BUILTINS = /^node:(child_process|crypto|zlib)$/;
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: LAZY_BUILTINS }, (args) => (args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const real = requireHere(args.path);
      const functions = Object.keys(real).filter((name) => /^[a-z][\w$]*$/.test(name) && typeof real[name] === 'function');
      const contents = [
        'let loaded;',
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        ...functions.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`),
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

// npm packages that a run often does not call, and whose loading costs: their imports get
// stand-ins that require the package on first use. semver (a default import) builds ~80
// regular expressions when it loads and is called only where a repository states its Flux
// version; re2js (the class RE2JS) builds its Unicode tables and is called only for Go regexps
// a RegExp cannot stand in for (src/engine/safe-regex.ts). A stand-in forwards property reads
// (functions bound to the real object, so static methods keep their `this`), calls and `new`;
// importing any other name from these packages fails the bundle.
const LAZY_PACKAGES = { semver: ['default'], re2js: ['RE2JS'] };
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY_PACKAGES).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy-package' ? undefined : { path: args.path, namespace: 'lazy-package' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
      contents: [
        'let loaded;',
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        'const real = (name) => (name === "default" && !("default" in load()) ? load() : load()[name]);',
        'const standIn = (name) => new Proxy(function () {}, {',
        '  get: (_, key) => { const target = real(name); const value = target[key]; return typeof value === "function" ? value.bind(target) : value; },',
        '  has: (_, key) => key in real(name),',
        '  apply: (_, self, args) => Reflect.apply(real(name), self, args),',
        '  construct: (_, args) => Reflect.construct(real(name), args),',
        '});',
        ...LAZY_PACKAGES[args.path].map((name) => (name === 'default' ? 'export default standIn("default");' : `export const ${name} = standIn(${JSON.stringify(name)});`)),
      ].join('\n'),
      loader: 'js',
      resolveDir: root,
    }));
  },
};

const common = {
  // web-tree-sitter's CommonJS build: its ES build loads node's `module` through import(),
  // which a CommonJS bundle without dynamic import cannot keep.
  alias: { 'web-tree-sitter': requireHere.resolve('web-tree-sitter') },
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Only the bare specifier: esbuild's `external: ['ajv']` would also leave its subpaths out.
  plugins: [{ name: 'ajv-external', setup: (b) => b.onResolve({ filter: /^ajv$/ }, () => ({ path: 'ajv', external: true })) }, lazyBuiltins, lazyPackages],
  // Code run through vm.Script (the compile cache) cannot use import(): load with require().
  supported: { 'dynamic-import': false },
  // The sources are ESM and find package files relative to import.meta.url.
  define: { 'import.meta.url': '__gitopsLintModuleUrl' },
  banner: { js: "const __gitopsLintModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  legalComments: 'none',
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const { metafile, outputFiles } = await build({ ...common, entryPoints: ['src/package.ts'], outfile: `${outdir}main.cjs`, metafile: true, write: false });
writeFileSync(`${outdir}main.cjs`, asciiOnly(outputFiles.find((file) => file.path.endsWith('main.cjs')).text));

/**
 * esbuild escapes non-ASCII characters in strings and identifiers but leaves them in comments
 * and regular expression literals (`/µs/`); one is enough to make V8 hold the whole 2.7 MB
 * source as a two-byte string, and to make the bin decode it as UTF-8 (twice the time of
 * latin1). In both places a `\uXXXX` escape means the same character, so the bundle is kept
 * pure ASCII and the bin reads it as latin1 (test/meta/bundle.test.ts checks it).
 */
function asciiOnly(text) {
  return text.replace(/[^\0-\x7f]/g, (char, offset) => {
    if (text[offset - 1] === '\\') throw new Error(`bundle: a backslash before the non-ASCII character at offset ${offset} cannot be escaped safely`);
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

// The HCL parser's Wasm files sit next to the bundle (src/terraform/hcl.ts looks there first):
// web-tree-sitter's JavaScript is bundled, so nothing of it is needed from node_modules.
copyFileSync(requireHere.resolve('web-tree-sitter/web-tree-sitter.wasm'), `${outdir}web-tree-sitter.wasm`);
copyFileSync(requireHere.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'), `${outdir}tree-sitter-terraform.wasm`);

// The npm packages (name → versions) whose code the bundle holds: what users run, so what
// scripts/audit-bundle.mjs asks the registry's advisory database about.
const bundled = {};
for (const input of Object.keys(metafile.inputs)) {
  const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (!match) continue;
  const { version } = JSON.parse(readFileSync(path.join(root, match[1], 'package.json'), 'utf8'));
  const versions = (bundled[match[2]] ??= []);
  if (!versions.includes(version)) versions.push(version);
}
const sorted = Object.fromEntries(Object.entries(bundled).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, versions]) => [name, versions.sort()]));
writeFileSync(`${outdir}bundled-packages.json`, `${JSON.stringify(sorted, null, 2)}\n`);

const { generateDtsBundle } = createRequire(import.meta.url)('dts-bundle-generator');
const [types] = generateDtsBundle(
  [{ filePath: 'src/package.ts', libraries: { inlinedLibraries: ['yaml'] }, output: { noBanner: true } }],
  { preferredConfigPath: 'tsconfig.build.json' },
);
// dts-bundle-generator 9.5.1 prints yaml's `static readonly PLAIN = "PLAIN";` members of the
// inlined Scalar class as `static readonly Scalar;` + `PLAIN = "PLAIN";`: put them back
// (test/cli/install.test.ts type-checks the declarations as a consumer would, libs included).
const repaired = types.replace(/static readonly Scalar;\n(\s*)(\w+) = ("\w+");/g, 'static readonly $2 = $3;');
writeFileSync(`${outdir}main.d.cts`, `// Generated by scripts/bundle.mjs (npm run bundle) from src/package.ts: do not edit.\n${repaired}`);
