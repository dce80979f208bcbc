// Builds dist/ for publishing: type-checks src/ and emits JavaScript with declarations (tsc 7).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const tsc = spawnSync('npx', ['--no-install', 'tsc', '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
  console.error('build: dist/cli/main.js is missing after tsc');
  process.exit(1);
}
console.log('build: dist/ is ready');
