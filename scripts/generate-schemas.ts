/**
 * Regenerates the vendored JSON Schemas in `schemas/kubernetes/` and `schemas/flux/`.
 *
 * Source: the `kubernetes-models` family of npm packages (pinned below). They ship compiled
 * validators rather than JSON Schemas, but their `.d.ts` files carry the whole structure
 * (properties, required fields, enums, int-or-string, Quantity) and their compiled validators
 * tell integers from other numbers. This script reads both with the TypeScript compiler and
 * writes one self-contained JSON file per family. It needs network access to the npm
 * registry (`npm pack`) and is never run by the linter itself.
 *
 * Run: `node --import tsx scripts/generate-schemas.ts`
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PACKAGES: Record<string, string> = {
  'kubernetes-models': '5.1.0',
  '@kubernetes-models/apimachinery': '3.0.2',
  '@kubernetes-models/base': '6.0.1',
  '@kubernetes-models/flux-cd': '4.0.0',
  '@kubernetes-models/cloudnative-pg': '2.0.0',
};

interface Family {
  file: string;
  id: string;
  pkg: string;
  /** group/version directories of the package to take kinds from. */
  accept(groupVersion: string): boolean;
}

// Only GA Kubernetes versions: beta APIs come and go between releases, and validating a
// removed beta against an old schema would be misleading. Flux: only versions the current
// controllers serve (v1beta1/v1beta2 sources and kustomizations and v2beta* HelmReleases were
// removed in Flux 2.7/2.8; another rule reports those).
const FAMILIES: Family[] = [
  {
    file: 'schemas/kubernetes/kubernetes.json',
    id: 'gitops-lint:kubernetes',
    pkg: 'kubernetes-models',
    accept: (gv) => /(^|\/)v\d+$/.test(gv),
  },
  {
    file: 'schemas/kubernetes/cloudnative-pg.json',
    id: 'gitops-lint:cloudnative-pg',
    pkg: '@kubernetes-models/cloudnative-pg',
    accept: (gv) => gv === 'postgresql.cnpg.io/v1',
  },
  {
    file: 'schemas/flux/flux.json',
    id: 'gitops-lint:flux',
    pkg: '@kubernetes-models/flux-cd',
    accept: (gv) =>
      [
        'source.toolkit.fluxcd.io/v1',
        'kustomize.toolkit.fluxcd.io/v1',
        'helm.toolkit.fluxcd.io/v2',
        'notification.toolkit.fluxcd.io/v1',
        'notification.toolkit.fluxcd.io/v1beta3',
        'image.toolkit.fluxcd.io/v1',
      ].includes(gv),
  },
];

type Schema = Record<string, unknown>;

/**
 * Fields newer than the pinned @kubernetes-models/flux-cd (Flux 2.7 APIs), added so that
 * current manifests are not reported as having unknown fields. Each one is documented in
 * shared/reference/DOMAIN.md; drop an entry once the package has caught up.
 */
const OVERLAYS: Record<string, Record<string, Schema>> = {
  // kustomize-controller 1.9 (DOMAIN §2.5).
  ComGithubFluxcdKustomizeControllerApiV1PostBuild: { substituteStrategy: { type: 'string', enum: ['Always', 'WithVariables'] } },
  // helm-controller 1.6 (DOMAIN §3.2).
  ComGithubFluxcdHelmControllerApiV2HelmReleaseSpec: { postRenderStrategy: { type: 'string', enum: ['combined', 'nohooks', 'separate'] } },
  ComGithubFluxcdPkgApisMetaValuesReference: { literal: { type: 'boolean' } },
};

function fetchPackages(dir: string): string {
  const modules = path.join(dir, 'node_modules');
  for (const [name, version] of Object.entries(PACKAGES)) {
    const out = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', dir], {
      encoding: 'utf8',
    }).trim();
    const target = path.join(modules, name);
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(dir, out.split('\n').pop()!), '-C', target, '--strip-components=1']);
  }
  return modules;
}

function listDts(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listDts(full));
    else if (entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Properties whose compiled validator checks `type: "integer"`, per definition name. */
function integerProps(jsFile: string): Set<string> {
  const found = new Set<string>();
  if (!existsSync(jsFile)) return found;
  const code = readFileSync(jsFile, 'utf8');
  const bodies = new Map<string, string>();
  const fnRe = /function (validate\d+)\(/g;
  const starts: Array<[string, number]> = [];
  for (let m = fnRe.exec(code); m; m = fnRe.exec(code)) starts.push([m[1]!, m.index]);
  starts.forEach(([name, start], i) => bodies.set(name, code.slice(start, starts[i + 1]?.[1] ?? code.length)));
  const callRe = /(validate\d+)\(data(?:\.(\w+)|\["([^"]+)"\]),/g;
  for (let m = callRe.exec(code); m; m = callRe.exec(code)) {
    const body = bodies.get(m[1]!);
    if (body?.includes('type:"integer"') && !body.includes('type:"array"')) found.add(m[2] ?? m[3]!);
  }
  return found;
}

class Converter {
  readonly definitions: Record<string, Schema> = {};
  private readonly pending = new Set<string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly modules: string,
  ) {}

  /** Stable, unique definition name: the long alias kubernetes-models exports (`IoK8sApiCoreV1Container`). */
  private nameOf(decl: ts.InterfaceDeclaration): string {
    const text = decl.getSourceFile().text;
    const short = decl.name.text;
    const m = new RegExp(`\\b${short} as I(\\w+)`).exec(text);
    return m ? m[1]! : short;
  }

  private validatorFile(decl: ts.InterfaceDeclaration, name: string): string {
    const file = decl.getSourceFile().fileName;
    const rel = path.relative(this.modules, file).split(path.sep);
    const pkgRoot = rel[0]!.startsWith('@') ? rel.slice(0, 2) : rel.slice(0, 1);
    return path.join(this.modules, ...pkgRoot, '_schemas', `${name}.js`);
  }

  definition(decl: ts.InterfaceDeclaration): string {
    const name = this.nameOf(decl);
    if (this.definitions[name] || this.pending.has(name)) return name;
    this.pending.add(name);
    const type = this.checker.getTypeAtLocation(decl);
    const props = this.checker.getPropertiesOfType(type);
    const index = type.getStringIndexType();
    let schema: Schema;
    if (props.length === 0 && !index) {
      // Empty interfaces are free-form in kubernetes-models (RawExtension, JSON, FieldsV1).
      schema = {};
    } else {
      const ints = integerProps(this.validatorFile(decl, name));
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      for (const prop of props) {
        const propType = this.checker.getTypeOfSymbol(prop);
        let propSchema = this.special(prop) ?? this.convert(propType);
        if (ints.has(prop.name) && propSchema.type === 'number') propSchema = { ...propSchema, type: 'integer' };
        properties[prop.name] = propSchema;
        if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name);
      }
      for (const [field, extra] of Object.entries(OVERLAYS[name] ?? {})) properties[field] ??= extra;
      schema = { type: 'object', properties };
      if (required.length) schema.required = required.sort();
      schema.additionalProperties = index ? this.convert(index) : false;
    }
    this.definitions[name] = schema;
    this.pending.delete(name);
    return name;
  }

  /** Optional properties lose their type alias (`T | undefined`), so read the declared type name. */
  private special(prop: ts.Symbol): Schema | undefined {
    const decl = prop.valueDeclaration;
    const typeNode = decl && ts.isPropertySignature(decl) ? decl.type : undefined;
    if (!typeNode || !ts.isTypeReferenceNode(typeNode)) return undefined;
    const name = typeNode.typeName.getText();
    if (name.endsWith('IntOrString')) return { type: ['integer', 'string'] };
    if (name.endsWith('ResourceQuantity')) return { type: ['string', 'number'] };
    return undefined;
  }

  convert(type: ts.Type): Schema {
    const alias = type.aliasSymbol?.name;
    if (alias === 'IQuantity') return { type: ['string', 'number'] };
    if (alias === 'IIntOrString') return { type: ['integer', 'string'] };
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (type.flags & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (type.flags & ts.TypeFlags.String) return { type: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      if (members.length === 1) return this.convert(members[0]!);
      if (members.every((t) => t.flags & ts.TypeFlags.StringLiteral)) {
        return { type: 'string', enum: members.map((t) => (t as ts.StringLiteralType).value).sort() };
      }
      if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
      const types = new Set(members.map((t) => this.convert(t).type));
      if ([...types].every((t) => typeof t === 'string')) return { type: [...types].sort() };
      return {};
    }
    if (this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: item ? this.convert(item) : {} };
    }
    if (type.flags & ts.TypeFlags.Object) {
      const decl = type.getSymbol()?.declarations?.[0];
      if (decl && ts.isInterfaceDeclaration(decl)) return { $ref: `#/definitions/${this.definition(decl)}` };
      const index = type.getStringIndexType();
      const props = this.checker.getPropertiesOfType(type);
      if (index && props.length === 0) return { type: 'object', additionalProperties: this.convert(index) };
      return {};
    }
    return {};
  }
}

function groupVersionOf(file: string, pkgDir: string): string | undefined {
  const rel = path.relative(pkgDir, path.dirname(file)).split(path.sep).join('/');
  // Core kinds live in `v1/`; grouped kinds in `<group>/<version>/`.
  return /^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(rel) ? rel : undefined;
}

function generate(modules: string, family: Family, root: string): void {
  const pkgDir = path.join(modules, family.pkg);
  const files = listDts(pkgDir).filter((f) => {
    const gv = groupVersionOf(f, pkgDir);
    return gv !== undefined && family.accept(gv) && !f.endsWith('index.d.ts');
  });
  const program = ts.createProgram(files, {
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
    baseUrl: modules,
    paths: { '*': [path.join(modules, '*')] },
  });
  const checker = program.getTypeChecker();
  const converter = new Converter(checker, modules);
  const kinds: Record<string, string> = {};
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    for (const stmt of source.statements) {
      if (!ts.isInterfaceDeclaration(stmt)) continue;
      const type = checker.getTypeAtLocation(stmt);
      const apiVersion = type.getProperty('apiVersion');
      const kind = type.getProperty('kind');
      if (!apiVersion || !kind) continue;
      const av = checker.getTypeOfSymbol(apiVersion);
      const k = checker.getTypeOfSymbol(kind);
      if (!(av.flags & ts.TypeFlags.StringLiteral) || !(k.flags & ts.TypeFlags.StringLiteral)) continue;
      const kindName = (k as ts.StringLiteralType).value;
      if (kindName.endsWith('List')) continue;
      kinds[`${(av as ts.StringLiteralType).value}/${kindName}`] = converter.definition(stmt);
    }
  }
  const sortedDefs = Object.fromEntries(Object.entries(converter.definitions).sort(([a], [b]) => a.localeCompare(b)));
  const sortedKinds = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)));
  const versions = Object.fromEntries(Object.entries(PACKAGES).filter(([n]) => n === family.pkg || n.includes('apimachinery') || n === 'kubernetes-models'));
  const out = {
    $id: family.id,
    $comment: `Generated by scripts/generate-schemas.ts from ${Object.entries(versions).map(([n, v]) => `${n}@${v}`).join(', ')}. Do not edit.`,
    kinds: sortedKinds,
    definitions: sortedDefs,
  };
  const target = path.join(root, family.file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, serialize(out));
  console.log(`${family.file}: ${Object.keys(kinds).length} kinds, ${Object.keys(sortedDefs).length} definitions`);
}

/** One kind or definition per line: compact to read at run time, still reviewable as a diff. */
function serialize(value: Record<string, unknown>): string {
  const lines = Object.entries(value).map(([key, entry]) => {
    if (typeof entry !== 'object' || entry === null) return `${JSON.stringify(key)}: ${JSON.stringify(entry)}`;
    const inner = Object.entries(entry).map(([name, item]) => `  ${JSON.stringify(name)}: ${JSON.stringify(item)}`);
    return `${JSON.stringify(key)}: {\n${inner.join(',\n')}\n}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const work = mkdtempSync(path.join(tmpdir(), 'gitops-lint-schemas-'));
  try {
    const modules = fetchPackages(work);
    for (const family of FAMILIES) generate(modules, family, root);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
