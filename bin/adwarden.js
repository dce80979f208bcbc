#!/usr/bin/env node
// The `adwarden` command. In a source checkout it runs src/ directly (Node strips the types);
// an installed package runs the built dist/. Either way on Node >= 22.19 (see run-modern-node.js).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnModernNode } from './run-modern-node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'main.ts');
const args = process.argv.slice(2);
// Long-running service commands keep V8's young generation small: a monitor allocates in bursts, and
// the default (up to 3 × 32 MB) is most of the difference between ~140 MB and ~200 MB of RSS on
// PostgreSQL, for no measurable loss of throughput (docs/performance.md, memory benchmark).
const SERVICE_COMMANDS = new Set(['serve', 'worker', 'start', 'demo']);
const nodeArgs = args.some((arg) => SERVICE_COMMANDS.has(arg)) ? ['--max-semi-space-size=4'] : [];
await runOnModernNode(existsSync(source) ? source : join(root, 'dist', 'cli', 'main.js'), args, {
  nodeArgs,
});
