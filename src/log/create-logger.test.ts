import { describe, expect, it } from 'vitest';
import { Secret } from '../vault/secret.ts';
import { createLogger } from './create-logger.ts';

const TOKEN = 'act.9f8e7d6c5b4a3928171615141312111009080706';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', destination: { write: (line: string) => lines.push(line) } });
  return { logger, output: () => lines.join('') };
}

describe('createLogger', () => {
  // Each spot a token can reach a log line through; none may let it out.
  const spots: Array<[string, (log: ReturnType<typeof capture>['logger']) => void]> = [
    ['an Access-Token header', (log) => log.info({ headers: { 'Access-Token': TOKEN } }, 'request')],
    [
      'an access-token header in lower case',
      (log) => log.info({ req: { headers: { 'access-token': TOKEN } } }, 'request'),
    ],
    ['an access_token body field', (log) => log.info({ body: { access_token: TOKEN } }, 'response')],
    [
      'a refresh_token body field',
      (log) => log.info({ body: { data: { refresh_token: TOKEN } } }, 'refresh'),
    ],
    ['an auth_code field', (log) => log.info({ auth_code: TOKEN }, 'callback')],
    ['a client_secret field', (log) => log.info({ client_secret: TOKEN }, 'exchange')],
    ['an app secret field', (log) => log.info({ app: { secret: TOKEN } }, 'app')],
    [
      'a secret in a query string',
      (log) =>
        log.info(
          {
            url: `https://business-api.tiktok.com/open_api/v1.3/oauth2/advertiser/get/?app_id=1&secret=${TOKEN}`,
          },
          'call',
        ),
    ],
    [
      'an auth_code in a callback URL',
      (log) => log.info({ url: `/oauth/tiktok/callback?auth_code=${TOKEN}&state=s` }, 'callback'),
    ],
    ['an OAuth code in a callback URL', (log) => log.info(`GET /callback?code=${TOKEN}&state=abc`)],
    [
      'a JSON body as text',
      (log) => log.debug({ raw: `{"access_token":"${TOKEN}","advertiser_ids":[]}` }, 'raw'),
    ],
    [
      'an error message',
      (log) => log.error({ err: new Error(`exchange failed for access_token=${TOKEN}`) }, 'failed'),
    ],
    ['a lone error', (log) => log.error(new Error(`Access-Token: ${TOKEN} rejected`))],
    [
      'an error cause',
      (log) =>
        log.error({ err: new Error('outer', { cause: new Error(`refresh_token ${TOKEN}`) }) }, 'failed'),
    ],
    [
      'an error property',
      (log) => log.error({ err: Object.assign(new Error('x'), { accessToken: TOKEN }) }, 'failed'),
    ],
    ['the message itself', (log) => log.warn(`client_secret=${TOKEN} rejected`)],
    ['a format argument', (log) => log.info('token was %s', `access_token=${TOKEN}`)],
    ['a child logger binding', (log) => log.child({ accessToken: TOKEN }).info('child')],
    ['a grandchild binding', (log) => log.child({ a: 1 }).child({ refresh_token: TOKEN }).info('grandchild')],
    ['a Secret value', (log) => log.info({ key: new Secret(TOKEN) }, 'secret')],
    ['a bearer header', (log) => log.info({ headers: { Authorization: `Bearer ${TOKEN}` } }, 'request')],
    ['a database URL', (log) => log.info({ db: `postgres://adwarden:${TOKEN}@127.0.0.1/adwarden` }, 'db')],
  ];

  it.each(spots)('keeps a token in %s out of the output', (_spot, write) => {
    const { logger, output } = capture();
    write(logger);
    expect(output().length).toBeGreaterThan(0);
    expect(output()).not.toContain(TOKEN);
    expect(output()).toMatch(/REDACTED|redacted/);
  });

  it('writes one JSON object per line with the fields it was given', () => {
    const { logger, output } = capture();
    logger.child({ connectionId: 'c1' }).info({ code: 40100, requestId: 'r1' }, 'rate limited');
    const line = JSON.parse(output());
    expect(line).toMatchObject({
      connectionId: 'c1',
      code: 40100,
      requestId: 'r1',
      msg: 'rate limited',
      level: 30,
    });
  });

  it('keeps TikTok’s `code` and token-free ids readable', () => {
    const { logger, output } = capture();
    logger.info({ code: 40105, token_type: 'bearer', advertiser_id: '7000000000000000001' }, 'x');
    expect(JSON.parse(output())).toMatchObject({
      code: 40105,
      token_type: 'bearer',
      advertiser_id: '7000000000000000001',
    });
  });
});
