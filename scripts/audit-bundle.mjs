// `npm audit --omit=dev` covers what npm installs with the package: ajv only, since every other
// runtime dependency is bundled into dist/cli/main.cjs (and so a devDependency). This asks the
// registry's advisory database, the endpoint npm audit uses, about the packages the bundle
// holds (dist/cli/bundled-packages.json, written by npm run bundle) and fails on any advisory.
// Needs the registry: CI runs it (.ci/run).
/* global fetch */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import semver from 'semver';

const bundled = JSON.parse(readFileSync(new URL('../dist/cli/bundled-packages.json', import.meta.url), 'utf8'));
const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/$/, '');
// Exit 2 (not 1) when the endpoint cannot be asked: .ci/run tells that apart from an advisory.
const response = await fetch(`${registry}/-/npm/v1/security/advisories/bulk`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(bundled),
}).catch((error) => {
  console.error(`audit-bundle: the registry could not be reached (${error.cause?.code ?? error.message}).`);
  process.exit(2);
});
if (!response.ok) {
  console.error(`audit-bundle: the registry answered ${response.status} ${response.statusText}.`);
  process.exit(2);
}
// As npm does, an advisory counts when one of the bundled versions is in its vulnerable range.
const advisories = Object.entries(await response.json())
  .flatMap(([name, list]) => list.map((advisory) => ({ name, ...advisory })))
  .filter(({ name, vulnerable_versions: range }) => (bundled[name] ?? []).some((version) => semver.satisfies(version, range ?? '*')));
const count = Object.keys(bundled).length;
if (advisories.length === 0) {
  console.log(`audit-bundle: no advisories for the ${count} packages bundled in dist/cli/main.cjs.`);
} else {
  for (const { name, severity, title, url, vulnerable_versions: range } of advisories) {
    console.log(`${severity}: ${name} ${bundled[name].join(', ')} (${range}): ${title} ${url}`);
  }
  console.error(`audit-bundle: ${advisories.length} advisories for packages bundled in dist/cli/main.cjs.`);
  process.exit(1);
}
