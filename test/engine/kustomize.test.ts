import { describe, expect, it } from 'vitest';
import { isRemoteTarget } from '../../src/kustomize/tree.js';

describe('isRemoteTarget', () => {
  it('recognises the remote forms of reference §5.3', () => {
    const remote = [
      'https://github.com/acme/shared//deploy?ref=v1.2.0',
      'https://raw.githubusercontent.com/acme/shared/v1/deploy.yaml',
      'ssh://git@github.com/acme/shared.git//deploy?ref=main',
      'git@github.com:acme/shared.git//deploy?ref=main',
      'HTTPS://github.com/acme/shared//deploy',
      'github.com/acme/shared/deploy?ref=v1',
      'gitlab.com/acme/shared/deploy',
      'bitbucket.org/acme/shared/deploy',
      'example.com/acme/shared//deploy?timeout=60s',
      'example.com/acme/shared/deploy?version=v1',
    ];
    expect(remote.filter((entry) => !isRemoteTarget(entry))).toEqual([]);
  });

  it('leaves local files and folders alone', () => {
    const local = ['deployment.yaml', 'base', '../base/', './overlays/prod', 'github.com.yaml', 'refs/app.yaml', 'apps/git@notes.yaml'];
    expect(local.filter((entry) => isRemoteTarget(entry))).toEqual([]);
  });
});
