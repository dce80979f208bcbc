import type { FastifyReply } from 'fastify';
import { isServiceError } from '../../services/index.ts';

export const sendPage = (reply: FastifyReply, markup: string, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').send(markup);

/** Back to `back` with a one-line notice (never a secret: it travels in the URL). */
export const notice = (reply: FastifyReply, back: string, text: string) =>
  reply.redirect(`${back}${back.includes('?') ? '&' : '?'}done=${encodeURIComponent(text)}`, 303);

/** Runs a form's action, then redirects back with a notice, or the service's complaint. */
export async function handled(reply: FastifyReply, back: string, run: () => Promise<string>) {
  try {
    return notice(reply, back, await run());
  } catch (error) {
    if (!isServiceError(error)) throw error;
    return notice(reply, back, `Not done: ${error.message}`);
  }
}

/**
 * Runs a form's action whose result is shown once (a key, a link, a signing secret): the page is the
 * response itself, so the value never appears in a URL or the browser's history.
 */
export async function shownOnce(reply: FastifyReply, back: string, run: () => Promise<unknown>) {
  try {
    return await run();
  } catch (error) {
    if (!isServiceError(error)) throw error;
    return notice(reply, back, `Not done: ${error.message}`);
  }
}
