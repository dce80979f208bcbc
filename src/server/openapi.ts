import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import packageJson from '../../package.json' with { type: 'json' };

const DOCUMENTED = /^\/(api\/v1\/|healthz$|readyz$|metrics$)/;

/**
 * The OpenAPI 3.1 document of the JSON API at `/docs/json` (and `/docs/yaml`), browsable at `/docs`.
 * Built from the routes as registered: path parameters come from each route's pattern, tags from its
 * first segment. Register before any route.
 */
export function registerOpenApi(app: FastifyInstance): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'adwarden',
        version: packageJson.version,
        description:
          'Keeps TikTok API for Business integrations healthy: connections, checks, incidents, notification channels, API keys. Errors answer `{ error: { code, message } }` with an ADW_ code (docs/errors.md).',
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key (adw_…) or the local admin token.',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: ({ schema, url }) => {
      const documented = DOCUMENTED.test(url);
      const names = [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const base = (schema ?? {}) as Record<string, unknown>;
      return {
        url,
        schema: {
          ...base,
          hide: !documented,
          tags: [url.startsWith('/api/v1/') ? url.split('/')[3]! : 'service'],
          ...(names.length && !base.params
            ? {
                params: {
                  type: 'object',
                  properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
                  required: names,
                },
              }
            : {}),
          ...(/^\/(healthz|readyz|metrics)$/.test(url) ? { security: [] } : {}),
        },
      };
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });
}
