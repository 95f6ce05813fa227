import { describe, expect, it } from 'vitest';
import { formatters } from '../../src/formatters/index.js';
import { context, result } from './fixture.js';

describe('formatter output for the shared fixture', () => {
  it('stylish', async () => {
    await expect(formatters.stylish?.(result, context)).toMatchFileSnapshot('./__snapshots__/stylish.txt');
  });

  it('stylish with colours', async () => {
    await expect(formatters.stylish?.(result, { ...context, color: true })).toMatchFileSnapshot('./__snapshots__/stylish-color.txt');
  });

  it('compact', async () => {
    await expect(formatters.compact?.(result, context)).toMatchFileSnapshot('./__snapshots__/compact.txt');
  });

  it('json', async () => {
    await expect(formatters.json?.(result, context)).toMatchFileSnapshot('./__snapshots__/json.json');
  });

  it('github', async () => {
    await expect(formatters.github?.(result, context)).toMatchFileSnapshot('./__snapshots__/github.txt');
  });

  it('sarif', async () => {
    await expect(formatters.sarif?.(result, context)).toMatchFileSnapshot('./__snapshots__/sarif.json');
  });

  it('junit', async () => {
    await expect(formatters.junit?.(result, context)).toMatchFileSnapshot('./__snapshots__/junit.xml');
  });
});
