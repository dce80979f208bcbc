import {
  type ControlState,
  createEmulator,
  type Emulator,
  type EmulatorOptions,
} from '../../src/emulator/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as loosely as a test needs
export type Json = any;

/** A JSON array as TikTok wants it in a query string. */
export const list = (items: readonly string[]) => encodeURIComponent(JSON.stringify(items));
export const object = (value: unknown) => encodeURIComponent(JSON.stringify(value));

/** A started emulator with its world and small HTTP helpers (real HTTP, global fetch). */
export async function startEmulator(options: EmulatorOptions = {}) {
  const emulator: Emulator = await createEmulator({
    seed: 'demo',
    tier: 'none',
    random: () => 0,
    ...options,
  });
  const world: ControlState = await emulator.control.state();
  const production = world.apps.find((a) => a.environment === 'production')!;
  const sandbox = world.apps.find((a) => a.environment === 'sandbox')!;
  const productionToken = world.tokens.find(
    (t) => t.environment === 'production' && t.regime === 'advertiser',
  )!;

  async function get(path: string, token?: string, base = emulator.url) {
    const response = await fetch(`${base}${path}`, { headers: token ? { 'Access-Token': token } : {} });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json');
    return { status: response.status, text, body: (json ? JSON.parse(text) : undefined) as Json };
  }

  async function post(path: string, payload: unknown, token?: string, base = emulator.url) {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'Access-Token': token } : {}) },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  return { emulator, world, production, sandbox, productionToken, get, post };
}
