// npm run generate:schema — writes, from the rules' option schemas:
//  - schemas/config.schema.json, for editors (yaml-language-server) and users;
//  - src/config/config-validator.generated.ts, the same schema compiled ahead by ajv so the
//    CLI validates a config without loading and compiling ajv at start-up.
// test/meta/rules.test.ts fails when either file is stale.
import { writeFile } from 'node:fs/promises';
import { builtinRules } from '../rules/index.js';
import { buildConfigSchema } from '../src/config/schema.js';
import { compileConfigValidatorSource } from '../src/config/compile-validator.js';

const schema = buildConfigSchema(builtinRules);
const schemaFile = new URL('../schemas/config.schema.json', import.meta.url);
await writeFile(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
const validatorFile = new URL('../src/config/config-validator.generated.ts', import.meta.url);
await writeFile(validatorFile, compileConfigValidatorSource(schema));
console.log(`wrote ${schemaFile.pathname} and ${validatorFile.pathname}`);
