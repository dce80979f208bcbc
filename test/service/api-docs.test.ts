import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, signIn, startStack } from './stack.ts';

describe('the API’s documents and probes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('pglite');
  }, 60_000);
  afterAll(async () => stack?.close());

  it('publishes a valid OpenAPI document of the API, browsable at /docs when signed in', async () => {
    const { session } = await signIn(stack);
    const response = await fetch(`${stack.address}/docs/json`, { headers: { cookie: session } });
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const paths = Object.keys(document.paths);
    for (const path of [
      '/api/v1/incidents/{id}/acknowledge',
      '/api/v1/channels/{id}/test',
      '/api/v1/videos',
      '/api/v1/catalog/{code}',
    ])
      expect(paths).toContain(path);
    expect(paths.some((p) => p.startsWith('/settings') || p.startsWith('/login'))).toBe(false);
    const ui = await fetch(`${stack.address}/docs/`, { headers: { cookie: session } });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
    expect((await fetch(`${stack.address}/docs/json`, { redirect: 'manual' })).status).toBe(303);
  });

  it('serves readiness and Prometheus metrics', async () => {
    expect((await fetch(`${stack.address}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${stack.address}/metrics`)).text();
    expect(metrics).toMatch(
      /adwarden_http_requests_total\{method="GET",route="\/readyz",status="200"\} [1-9]\d*$/m,
    );
    expect(metrics).toMatch(/adwarden_connections/);
    expect(metrics).toMatch(/adwarden_outbox_lag_seconds 0/);
  });
});
