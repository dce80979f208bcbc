#!/usr/bin/env node
// The `adwarden` command. In a source checkout it runs src/ directly (Node strips the types);
// an installed package runs the built dist/. Either way on Node >= 22.19 (see run-modern-node.js).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnModernNode } from './run-modern-node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'main.ts');
await runOnModernNode(
  existsSync(source) ? source : join(root, 'dist', 'cli', 'main.js'),
  process.argv.slice(2),
);
