// Writes schemas/config.schema.json from the rules' option schemas (npm run generate:schema).
import { writeFile } from 'node:fs/promises';
import { builtinRules } from '../rules/index.js';
import { buildConfigSchema } from '../src/config/schema.js';

const target = new URL('../schemas/config.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(buildConfigSchema(builtinRules), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
