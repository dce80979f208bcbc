// Checks the npm package as a user gets it: `npm pack` (which builds dist/ in prepack), install the
// tarball into a fresh project, run the README's library example there (against the emulator the
// package ships), run the CLI, and, when an older Node.js is on the machine, see the package refuse
// it with a clear error rather than crash. Prints one JSON line; exits 1 when something fails.
// Usage: node bin/run-modern-node.js scripts/check-package.ts [--old-node /usr/bin/node]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const oldNodeFlag = process.argv.indexOf('--old-node');
const oldNode = oldNodeFlag > 0 ? process.argv[oldNodeFlag + 1] : '/usr/bin/node';
const work = mkdtempSync(join(tmpdir(), 'adwarden-package-'));
const report: Record<string, unknown> = { check: 'package' };
const problems: string[] = [];

function run(command: string, args: string[], cwd: string, node = process.execPath) {
  const env = {
    ...process.env,
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  const resolved = command === 'node' ? node : command;
  const result = spawnSync(resolved, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  return { status: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

// 1. Pack (prepack builds dist/).
const packed = run('npm', ['pack', '--pack-destination', work], root);
const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
if (packed.status !== 0 || !tarball) problems.push(`npm pack failed:\n${packed.out.slice(-2000)}`);
report.tarball = tarball ?? null;

// 2. A fresh project installs it.
const project = join(work, 'project');
if (tarball) {
  spawnSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'uses-adwarden', private: true, type: 'module' }),
  );
  const installed = run('npm', ['install', '--no-package-lock', join(work, tarball)], project);
  if (installed.status !== 0)
    problems.push(`npm install of the tarball failed:\n${installed.out.slice(-2000)}`);
  report.installed = installed.status === 0;
}

// 3. The README's library example, importing from the package as a user would.
const example = `import { createEmulator } from 'adwarden/emulator';
import { classify, createTikTokClient, isTikTokError } from 'adwarden';
const emulator = await createEmulator({ seed: 'demo' });
const { apps, tokens } = await emulator.control.state();
const app = apps.find((a) => a.environment === 'production');
const token = tokens.find((t) => t.app_id === app.app_id && t.regime === 'advertiser');
const tiktok = createTikTokClient({ appId: app.app_id, secret: app.secret, accessToken: token.access_token, baseUrl: emulator.url, tier: 'basic' });
const accounts = await tiktok.getAdvertiserInfo(token.advertiser_ids);
let ads = 0;
for await (const ad of tiktok.ads(token.advertiser_ids[0])) if (typeof ad.ad_id === 'string') ads++;
await emulator.control.fault({ type: 'revokeToken', token: token.access_token });
let kind = null;
try { await tiktok.listAuthorizedAdvertisers(); } catch (error) { if (isTikTokError(error)) kind = error.diagnosis.kind; }
console.log(JSON.stringify({ accounts: accounts.length, ads, revoked: kind, classify: classify({ code: 40100, message: 'Too many requests' }).kind }));
await tiktok.close();
await emulator.close();
`;
if (report.installed) {
  writeFileSync(join(project, 'example.mjs'), example);
  const ran = run('node', ['example.mjs'], project);
  const last = ran.out.trim().split('\n').at(-1) ?? '';
  try {
    const result = JSON.parse(last) as { accounts: number; ads: number; revoked: string; classify: string };
    report.example = result;
    if (
      !(
        result.accounts > 0 &&
        result.ads > 0 &&
        result.revoked === 'auth_invalid' &&
        result.classify === 'rate_limited'
      )
    )
      problems.push(`the README example ran but read ${last}`);
  } catch {
    problems.push(`the README example failed:\n${ran.out.slice(-2000)}`);
  }
  // 4. The CLI the package installs.
  const cli = run(join(project, 'node_modules', '.bin', 'adwarden'), ['explain', '40100', '--json'], project);
  report.cli = cli.status === 0 && cli.out.includes('"kind":"rate_limited"');
  if (!report.cli) problems.push(`npx adwarden explain failed:\n${cli.out.slice(-2000)}`);
  // 5. An old Node.js gets a clear error, not an undici crash.
  if (oldNode && existsSync(oldNode)) {
    const version = run(oldNode, ['--version'], project).out.trim();
    const refused = run(
      'node',
      [
        '-e',
        "import('adwarden').then(() => console.log('loaded'), (e) => { console.log(e.message); process.exit(3); })",
      ],
      project,
      oldNode,
    );
    report.old_node = {
      version,
      refused: refused.status === 3,
      message: refused.out.trim().split('\n').at(-1),
    };
    const tooOld = /^v(1\d|2[01])\.|^v22\.(1[0-8]|\d)\./.test(version);
    if (tooOld && !(refused.status === 3 && /needs Node\.js 22\.19 or newer/.test(refused.out)))
      problems.push(`Node ${version} was not refused clearly:\n${refused.out.slice(-1000)}`);
  }
}

report.ok = problems.length === 0;
console.log(JSON.stringify(report));
for (const problem of problems) console.error(problem);
rmSync(work, { recursive: true, force: true });
process.exit(problems.length === 0 ? 0 : 1);
