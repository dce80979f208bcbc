// Fails when a function in src/ spans more than MAX lines, counted whole: its comments, blank lines and
// the functions nested in it (a factory's methods count toward the factory). Biome's rule counts less
// (it leaves nested functions out); this is the measure docs/architecture.md promises. Data tables are
// exempt by name below. Usage: node scripts/check-function-length.mjs [--max 80]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX = Number(process.argv[process.argv.indexOf('--max') + 1]) || 80;
/** Data, not logic: the schema's migrations are SQL text, in order, never edited once released. */
const DATA_TABLES = new Set(['src/db/migrations.ts', 'src/db/migrations-agency.ts']);
const FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassMethod',
  'MethodProperty',
  'GetterProperty',
  'SetterProperty',
]);

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

function nameOf(node, parentName) {
  if (node.type === 'FunctionDeclaration') return node.identifier?.value ?? parentName;
  if (node.key?.value) return node.key.value;
  return parentName;
}

const long = [];
for (const file of files(join(ROOT, 'src'))) {
  const path = relative(ROOT, file);
  if (DATA_TABLES.has(path)) continue;
  // A leading statement pins the module's span to offset 0 of the text parsed (swc's spans are global).
  const text = `0;\n${readFileSync(file, 'utf8')}`;
  const ast = swc.parseSync(text, { syntax: 'typescript' });
  const base = ast.span.start;
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const lineOf = (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset - base) lo = mid;
      else hi = mid - 1;
    }
    return lo; // 0-based line of `text`, which is the 1-based line of the file
  };
  const visit = (node, name) => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, name);
      return;
    }
    if (!node || typeof node !== 'object') return;
    let here = name;
    if (node.type === 'VariableDeclarator' && node.id?.value) here = node.id.value;
    if (node.type === 'KeyValueProperty' && node.key?.value) here = node.key.value;
    if (FUNCTIONS.has(node.type)) {
      here = nameOf(node, name);
      const lines = lineOf(node.span.end - 1) - lineOf(node.span.start) + 1;
      if (lines > MAX) long.push({ path, line: lineOf(node.span.start), name: here ?? '(anonymous)', lines });
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'span') visit(child, here);
  };
  visit(ast.body, undefined);
}

for (const f of long.sort((a, b) => b.lines - a.lines))
  console.error(`${f.path}:${f.line} ${f.name} spans ${f.lines} lines (at most ${MAX}): split it`);
if (long.length > 0) process.exit(1);
console.log(`function length: every function in src/ spans at most ${MAX} lines`);
