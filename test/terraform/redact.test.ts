import { describe, expect, it } from 'vitest';
import { hclSecretRanges } from '../../src/terraform/redact.js';

const masked = (text: string) => hclSecretRanges(text).map(([start, end]) => text.slice(start, end));

describe('hclSecretRanges', () => {
  it('masks credential-named attributes and the default of a sensitive variable', () => {
    const text = 'provider "airbyte" {\n  client_secret = "s3cr3t-value"\n  server_url    = "http://airbyte:8001"\n}\n\nvariable "token" {\n  type      = string\n  sensitive = true\n  default   = "tok-123"\n}\n\nvariable "region" {\n  default = "eu-west-1"\n}\n';
    expect(masked(text)).toEqual(['s3cr3t-value', 'tok-123']);
  });
});
