import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchemaSdl } from '../../schema/buildSchema';

/** Writes the schema's SDL to schema/schema.graphql (run by `npm run codegen`). */
const target = join(__dirname, '..', '..', '..', 'schema', 'schema.graphql');
writeFileSync(target, printSchemaSdl());
console.log(`wrote ${target}`);
