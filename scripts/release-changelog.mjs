// The release steps `npm version` runs (the package's "version" and "postversion" scripts).
//
// `version` (after package.json is bumped, before npm commits and tags vX.Y.Z): the
// "## Unreleased" section of CHANGELOG.md becomes the release's, under a new empty
// "## Unreleased", and the file is staged so the release commit carries it.
// `postversion` (after the tag): the major tag (v0, v1…) is moved to the release, which is
// what `uses: gitops-lint/gitops-lint@v0` in a workflow follows.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const version = process.env.npm_package_version;
if (!version) {
  console.error('release-changelog: run by `npm version`, which sets npm_package_version.');
  process.exit(2);
}
const git = (...args) => execFileSync('git', args, { stdio: 'inherit' });

if (process.argv[2] === '--major-tag') {
  git('tag', '--force', `v${version.split('.')[0]}`, `v${version}^{}`);
} else {
  const file = 'CHANGELOG.md';
  const date = process.env.RELEASE_DATE ?? new Date().toISOString().slice(0, 10);
  const text = readFileSync(file, 'utf8');
  if (!/^## Unreleased$/m.test(text)) {
    console.error(`release-changelog: ${file} has no "## Unreleased" section to release.`);
    process.exit(1);
  }
  writeFileSync(file, text.replace(/^## Unreleased$/m, `## Unreleased\n\n## ${version} (${date})`));
  git('add', file);
}
