#!/usr/bin/env node
// The `adwarden` command. In a source checkout it runs src/ directly (Node strips the types);
// an installed package runs the built dist/. Either way on Node >= 22.19 (see run-modern-node.js).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnModernNode } from './run-modern-node.js';
import { SERVICE_NODE_ARGS } from './service-node-args.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'main.ts');
const args = process.argv.slice(2);
// Long-running service commands run with V8 flags that keep the heap near what is live (see
// SERVICE_NODE_ARGS).
const SERVICE_COMMANDS = new Set(['serve', 'worker', 'start', 'demo']);
const nodeArgs = args.some((arg) => SERVICE_COMMANDS.has(arg)) ? SERVICE_NODE_ARGS : [];
await runOnModernNode(existsSync(source) ? source : join(root, 'dist', 'cli', 'main.js'), args, {
  nodeArgs,
});
