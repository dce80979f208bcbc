import type { FastifyRequest } from 'fastify';
import type { PageContext } from '../views/layout.ts';

/** Who is signed in, their CSRF token, where they are, and a notice carried in `?done=`. */
export function contextOf(request: FastifyRequest, flash?: string | null): PageContext {
  const principal = request.principal;
  return {
    user: principal?.type === 'user' ? principal.email : principal?.type === 'key' ? principal.name : null,
    csrf: principal?.type === 'user' ? principal.csrf : '',
    path: request.url.split('?')[0]!,
    flash: flash ?? (request.query as { done?: string } | undefined)?.done ?? null,
  };
}
