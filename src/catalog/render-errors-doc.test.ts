import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADWARDEN_ERROR_CODES, RESPONSE_PROBLEMS } from './adwarden-codes.ts';
import { CATALOG } from './catalog.ts';
import { renderErrorsDoc } from './render-errors-doc.ts';

const committed = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('is what the catalog renders (run `npm run docs:errors` when this fails)', () => {
    expect(committed).toBe(renderErrorsDoc());
  });

  it('lists every catalogued code and every adwarden code', () => {
    for (const entry of CATALOG)
      expect(committed).toContain(
        `| ${entry.rangeEnd === undefined ? entry.code : `${entry.code}–${entry.rangeEnd}`} |`,
      );
    for (const code of [...Object.keys(RESPONSE_PROBLEMS), ...Object.keys(ADWARDEN_ERROR_CODES)])
      expect(committed).toContain(`\`${code}\``);
  });

  it('documents every ADW_ code the source uses', () => {
    const used = new Set<string>();
    const walk = (dir: URL) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(new URL(`${entry.name}/`, dir));
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
          for (const match of readFileSync(new URL(entry.name, dir), 'utf8').matchAll(/'(ADW_[A-Z_]+)'/g))
            used.add(match[1]!);
      }
    };
    walk(new URL('../', import.meta.url));
    const undocumented = [...used].filter((code) => !committed.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });

  it('states the 40100 folklore correction', () => {
    expect(committed).toMatch(/40100 is a rate limit, not an invalid token/);
  });
});
