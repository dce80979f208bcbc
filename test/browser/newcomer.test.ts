import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/adwarden.js', import.meta.url));
const SHOTS = fileURLToPath(new URL('../../test-results/browser/', import.meta.url));
const CHROMIUM = process.env.ADWARDEN_CHROMIUM ?? '/usr/bin/chromium';
// As the machines' probe starts it: no sandbox as root, and nothing that reaches out to the network.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `adwarden demo` as a newcomer starts it, in its own process; resolves with what it printed. */
function startDemo(scenarioFile: string) {
  return new Promise<{ child: ChildProcess; service: string; emulator: string; loginLink: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'demo', '--scenario', scenarioFile, '--port', '0'], {
        env: { ...process.env, ADWARDEN_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += String(chunk);
        const service = /service\s+(http:\/\/\S+)/.exec(out)?.[1];
        const emulator = /emulator\s+(http:\/\/\S+)/.exec(out)?.[1];
        const loginLink = /dashboard\s+(http:\/\/\S+)/.exec(out)?.[1];
        if (service && emulator && loginLink) resolve({ child, service, emulator, loginLink });
      });
      child.stderr!.on('data', (chunk) => {
        out += String(chunk);
      });
      child.on('exit', (code) => reject(new Error(`demo exited (${code}): ${out}`)));
    },
  );
}

describe('the newcomer’s path, in Chromium', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let context: BrowserContext;
  let page: Page;
  let step = 0;
  const shot = async (name: string) => {
    step++;
    await page.screenshot({
      path: join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set ADWARDEN_CHROMIUM)`);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    // A quiet world: the only trouble is what this test injects.
    const scenario = join(mkdtempSync(join(tmpdir(), 'adwarden-browser-')), 'quiet.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'quiet',
        description: 'nothing happens',
        steps: [{ at: '6h', do: 'clearFaults' }],
      }),
    );
    demo = await startDemo(scenario);
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'adwarden-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1200, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    demo?.child.kill('SIGTERM');
  });

  it('signs in, connects an advertiser, sees a revoke as an incident with its fix, repairs it through the re-auth link', async () => {
    // 1. The one-time link the demo printed signs the newcomer in.
    await page.goto(demo.loginLink);
    await expect.poll(() => page.url()).toMatch(/\/settings/);
    await expect.poll(() => page.locator('.flash').textContent()).toMatch(/Signed in/);
    await shot('signed-in');

    // 2. Connect an advertiser through TikTok's (the emulator's) consent page.
    await page.goto(`${demo.service}/connections`);
    const production = await page
      .locator('select[name=app] option')
      .evaluateAll((options) =>
        options.map((o) => ({ value: (o as unknown as { value: string }).value, text: o.textContent ?? '' })),
      );
    const app = production.find((o) => !/sandbox/i.test(o.text)) ?? production[0]!;
    await page.selectOption('select[name=app]', app.value);
    await page.fill('input[name=owner]', 'newcomer@example.com');
    await page.click('text=Connect through TikTok');
    await shot('connect-start');
    await page.click('text=Continue to TikTok');
    await page.waitForURL(/\/portal\/auth/);
    const boxes = page.locator('input[name=advertiser_ids]');
    for (let i = 1; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
    await shot('tiktok-consent');
    await page.click('button[value=authorize]');
    await page.waitForURL(/\/oauth\/tiktok\/callback/);
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/Connected: healthy/);
    await shot('connected');

    // 3. The new connection is healthy on the dashboard.
    await page.goto(`${demo.service}/connections`);
    const row = page.locator('tr', { hasText: 'newcomer@example.com' });
    await expect.poll(() => row.locator('.badge').first().textContent()).toBe('healthy');
    const connectionUrl = (await row.locator('a').first().getAttribute('href'))!;
    await page.goto(`${demo.service}${connectionUrl}`);
    await shot('connection-healthy');

    // 4. The owner revokes the authorization at TikTok; "Check now" finds it.
    const state = (await (await fetch(`${demo.emulator}/__control/state`)).json()) as {
      tokens: Array<{ access_token: string; app_id: string; status: string; issued_at: string }>;
    };
    const newest = state.tokens
      .filter((t) => t.app_id === app.value && t.status === 'active')
      .sort((a, b) => a.issued_at.localeCompare(b.issued_at))
      .at(-1)!;
    const fault = await fetch(`${demo.emulator}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'revokeToken', token: newest.access_token, by: 'user' }),
    });
    expect(fault.status).toBe(200);
    // (The demo's fast sweep may find it first; either way the check ends in the same state.)
    await page.click('text=Check now');
    await expect
      .poll(() => page.locator('.flash').textContent())
      .toMatch(/^Checked:|checks it again as soon as that one ends/);
    // A check already running (the sweep's) may have read TikTok before the revoke: the one after it finds it.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('p .badge').first().textContent();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe('needs reauth');

    // 5. The incident shows what happened, what to do and what adwarden did.
    await page.goto(`${demo.service}/incidents`);
    await page.locator('tr', { hasText: 'revoked' }).locator('a').first().click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^auth:/);
    expect(await page.locator('ol.fix').textContent()).toMatch(/authorizes the app again/);
    expect(await page.locator('main').textContent()).toMatch(
      /re-auth link was created and sent to the owner/,
    );
    await shot('incident');

    // 6. Follow a re-auth link: TikTok's consent again, on the same connection.
    await page.click('text=Create a re-auth link for the owner');
    const link = page.locator('.flash a');
    await expect.poll(() => link.getAttribute('href')).toMatch(/\/reauth\//);
    await shot('reauth-link');
    await link.click();
    await page.waitForURL(/\/portal\/auth/);
    await page.click('button[value=authorize]');
    await page.waitForURL(/\/oauth\/tiktok\/callback/);
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/Reconnected: healthy/);

    // 7. Healthy again, and the incident resolved.
    await page.goto(`${demo.service}${connectionUrl}`);
    await expect.poll(() => page.locator('p .badge').first().textContent()).toBe('healthy');
    await shot('healthy-again');
    await page.goto(`${demo.service}/incidents?state=resolved`);
    const resolved = page.locator('tr', { hasText: 'revoked' });
    await expect.poll(() => resolved.count()).toBeGreaterThan(0);
    await shot('incident-resolved');
  }, 120_000);

  it('runs an agency’s day: a client, its connect invitation opened signed out, the connection under the client, lists filtered and searched, the overview’s charts', async () => {
    // 1. A client, and a connect invitation for it.
    await page.goto(`${demo.service}/clients`);
    await page.fill('input[name=name]', 'Northwind Outdoors');
    await page.click('text=Add client');
    await expect.poll(() => page.locator('.flash').textContent()).toMatch(/Client Northwind Outdoors added/);
    const section = page.locator('section', { hasText: 'Northwind Outdoors' }).last();
    const apps = await section.locator('select[name=app_id] option').allTextContents();
    const production = apps.findIndex((text) => !/sandbox/i.test(text));
    await section.locator('select[name=app_id]').selectOption({ index: Math.max(0, production) });
    await section.locator('text=Create connect invitation').click();
    const invitation = await page.locator('#invitation-url').inputValue();
    expect(invitation).toMatch(/\/invite\/[\w-]{40,}$/);
    await shot('agency-invitation');

    // 2. The client's person opens it in a browser with no adwarden session.
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const guest = await (await browser.newContext({ viewport: { width: 1000, height: 800 } })).newPage();
      await guest.goto(invitation);
      await expect.poll(() => guest.locator('h1').textContent()).toMatch(/Connect Northwind Outdoors/);
      await guest.screenshot({ path: join(SHOTS, 'agency-guest-invitation.png'), fullPage: true });
      await guest.click('a:has-text("Continue to TikTok")');
      await guest.waitForURL(/\/portal\/auth/);
      const boxes = guest.locator('input[name=advertiser_ids]');
      for (let i = 1; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
      await guest.click('button[value=authorize]');
      await guest.waitForURL(/\/oauth\/tiktok\/callback/);
      await expect.poll(() => guest.locator('h1').textContent()).toMatch(/Connected/);
      await guest.screenshot({ path: join(SHOTS, 'agency-guest-connected.png'), fullPage: true });
      // The invitation opened nothing else: the dashboard still asks the guest to sign in.
      await guest.goto(`${demo.service}/connections`);
      await guest.waitForURL(/\/login/);
    } finally {
      await browser.close();
    }

    // 3. The connection is under the client; lists filter and search.
    await page.goto(`${demo.service}/connections`);
    await page.selectOption('select[name=client]', { label: 'Northwind Outdoors' });
    await page.click('form.filters button');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Northwind Outdoors');
    const name = (await rows.first().locator('a').first().textContent())!.replace(/ \+\d+$/, '');
    await shot('agency-connections-by-client');
    await page.goto(`${demo.service}/connections`);
    await page.fill('input[name=q]', name.slice(0, 6));
    await page.click('form.filters button');
    await expect.poll(() => page.locator('tbody tr').first().textContent()).toContain(name.slice(0, 6));
    expect(await page.locator('.pager').textContent()).toMatch(/Showing 1–\d+ of \d+/);
    await page.goto(`${demo.service}/incidents?state=open,acknowledged,muted,resolved`);
    expect(await page.locator('a.selected').textContent()).toBe('All');
    await page.fill('input[name=q]', 'revoked');
    await page.click('form.filters button');
    await expect.poll(() => page.url()).toMatch(/q=revoked/);
    await shot('agency-incidents-search');

    // 4. The overview's pictures, also on a phone's width without overflowing.
    await page.goto(`${demo.service}/`);
    expect(await page.locator('figure.chart svg.bars').count()).toBe(2);
    expect(await page.locator('figure.chart').first().textContent()).toMatch(
      /Connection checks healthy [1-9]/,
    );
    await shot('agency-overview');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(Number(overflow)).toBeLessThanOrEqual(1);
    await shot('agency-overview-mobile');
    await page.setViewportSize({ width: 1200, height: 900 });
  }, 180_000);

  it('renders the API reference for a signed-in user under the dashboard’s security policy', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${demo.service}/docs/`);
    await expect.poll(() => page.locator('.swagger-ui .info .title').count(), { timeout: 15_000 }).toBe(1);
    await shot('api-docs');
    expect(errors).toEqual([]);
  }, 120_000);
});
