// Writes docs/errors.md from the catalog (npm run docs:errors). A test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from '../src/catalog/index.ts';

const target = new URL('../docs/errors.md', import.meta.url);
writeFileSync(target, renderErrorsDoc());
console.log(`wrote ${target.pathname}`);
