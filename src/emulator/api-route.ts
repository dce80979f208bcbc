import type { FastifyRequest } from 'fastify';
import type { createIdFactory } from './ids.ts';
import type { EmulatedApp, EmulatedToken, EmulatorState, Environment } from './state.ts';

/** What a handler gets for one API call. */
export interface CallContext {
  state: EmulatorState;
  now: number;
  environment: Environment;
  /** The token from `Access-Token`, for routes that need one. */
  token?: EmulatedToken;
  app?: EmulatedApp;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  request: FastifyRequest;
  ids: ReturnType<typeof createIdFactory>;
  /** The URL the emulator answers at (for links it hands out). */
  baseUrl: string;
}

/** One TikTok endpoint. Paths are relative to /open_api/v1.3 and end in "/". */
export interface ApiRoute {
  method: 'GET' | 'POST';
  path: string;
  /** `token`: Access-Token header required. `app`: app credentials in the body (OAuth). */
  auth: 'token' | 'app';
  /** False for endpoints the sandbox does not offer. @default true */
  sandbox?: boolean;
  handle(context: CallContext): unknown;
}
