import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { ApiKeysStore, UserRow, UsersStore } from '../../db/index.ts';
import { bindDeps } from '../../lib/bind-deps.ts';
import { Secret } from '../../vault/index.ts';
import { ServiceError } from '../service-error.ts';
import { hashApiKey } from './access.ts';

/** What an API key may do: `read` GETs, `write` also changes things, `admin` also manages keys and users. */
export const API_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const SESSION_IDLE_MS = 12 * 3_600_000;
const SESSION_MAX_MS = 7 * 86_400_000;
const LOGIN_LINK_MS = 15 * 60_000;
const token = () => randomBytes(32).toString('base64url');

/** Who a request acts for: a signed-in user (with the session's CSRF token) or an API key. */
export type Principal =
  | {
      type: 'user';
      userId: string;
      email: string;
      csrf: string;
      scopes: readonly ApiScope[];
      /** The clients this operator may see; null: every client. */
      clientIds: readonly string[] | null;
    }
  | { type: 'key'; keyId: string; name: string; scopes: readonly ApiScope[]; clientIds: null };

/** A user row's client list: null (all) or the ids. */
const clientIdsOf = (user: UserRow): string[] | null => {
  if (!user.client_ids) return null;
  try {
    const ids = JSON.parse(user.client_ids);
    return Array.isArray(ids) ? ids.map(String) : [];
  } catch {
    return []; // unreadable: nothing rather than everything
  }
};

const Email = z.string().trim().toLowerCase().email().max(200);
const Password = z.string().min(12, 'must be at least 12 characters').max(200);
const NewKey = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1).default(['read']),
});

function invalid(what: string, error: z.ZodError): ServiceError {
  return new ServiceError(
    'ADW_INVALID_INPUT',
    `invalid ${what}: ${error.issues.map((i) => `${i.path.join('.') || what} ${i.message}`).join('; ')}`,
  );
}

/** Equal-time string comparison (CSRF tokens). */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What `usersService` uses. */
export interface UsersOptions {
  users: UsersStore;
  apiKeys: ApiKeysStore;
  now: () => number;
  publicUrl: () => string;
}

/**
 * Operators and machines: dashboard users with argon2id passwords, sessions (only a hash of the
 * cookie is stored; 12 h idle, 7 days at most), one-time sign-in links, and scoped API keys.
 * Sign-in attempts are limited per address and per account.
 */
export function usersService(options: UsersOptions) {
  const deps: UsersDeps = {
    ...options,
    // Per process: 10 failed sign-ins per address and per account in 15 minutes.
    failures: new RateLimiterMemory({ points: 10, duration: 15 * 60 }),
    dummyHash: null,
  };
  return {
    ...bindDeps(deps, {
      isEmpty,
      createUser,
      listUsers,
      setPassword,
      signIn,
      loginLink,
      useLoginLink,
      session,
      signOut,
      apiKey,
      createApiKey,
      listApiKeys,
      revokeApiKey,
    }),
  };
}

/** The options, and what the service keeps between calls. */
type UsersDeps = UsersOptions & {
  failures: RateLimiterMemory;
  /** A hash to compare against for unknown accounts (made once), so a miss takes as long as a hit. */
  dummyHash: Promise<string> | null;
};

async function startSession(deps: UsersDeps, user: UserRow) {
  const id = token();
  const csrf = token();
  const now = new Date(deps.now());
  await deps.users.addSession({
    idHash: hashApiKey(id),
    userId: user.id,
    csrf,
    now,
    expiresAt: new Date(now.getTime() + SESSION_MAX_MS),
  });
  await deps.users.touchLogin(user.id, now);
  return { sessionId: new Secret(id), maxAgeSeconds: SESSION_MAX_MS / 1000 };
}

/** True when no user exists yet (a fresh install). */
async function isEmpty(deps: UsersDeps) {
  return (await deps.users.count()) === 0;
}

/** Adds a user; a password is optional (the bootstrap admin signs in by link, then sets one). */
async function createUser(
  deps: UsersDeps,
  input: { email: string; password?: string | null; clientIds?: readonly string[] | null },
) {
  const email = Email.safeParse(input.email);
  if (!email.success) throw invalid('email', email.error);
  if (input.password != null) {
    const ok = Password.safeParse(input.password);
    if (!ok.success) throw invalid('password', ok.error);
  }
  if (await deps.users.byEmail(email.data))
    throw new ServiceError('ADW_CONFLICT', `a user ${email.data} already exists`);
  const passwordHash = input.password ? await hash(input.password) : null;
  const user = await deps.users.create(
    { email: email.data, passwordHash, clientIds: input.clientIds ?? null },
    new Date(deps.now()),
  );
  return { id: user.id, email: user.email, client_ids: input.clientIds ?? null };
}

async function listUsers(deps: UsersDeps) {
  return (await deps.users.list()).map((u) => ({
    id: u.id,
    email: u.email,
    role: u.role,
    client_ids: clientIdsOf(u),
    has_password: u.password_hash !== null,
    created_at: u.created_at.toISOString(),
    last_login_at: u.last_login_at?.toISOString() ?? null,
  }));
}

/** Sets a user's password and signs out every other session of theirs. */
async function setPassword(deps: UsersDeps, userId: string, password: string) {
  const ok = Password.safeParse(password);
  if (!ok.success) throw invalid('password', ok.error);
  await deps.users.setPassword(userId, await hash(password));
  await deps.users.dropSessionsOf(userId);
}

/**
 * Signs in with email and password. Unknown accounts cost the same argon2 work as known ones.
 * @throws ServiceError ADW_UNAUTHORIZED (wrong credentials), ADW_RATE_LIMITED (too many failures).
 */
async function signIn(deps: UsersDeps, input: { email: string; password: string; address: string }) {
  const email = String(input.email ?? '')
    .trim()
    .toLowerCase();
  const buckets = [`ip:${input.address}`, `user:${email}`];
  for (const key of buckets) {
    const state = await deps.failures.get(key);
    if (state && state.consumedPoints >= 10)
      throw new ServiceError(
        'ADW_RATE_LIMITED',
        `too many failed sign-ins; try again in ${Math.ceil(state.msBeforeNext / 60_000)} min`,
      );
  }
  const user = email ? await deps.users.byEmail(email) : undefined;
  deps.dummyHash ??= hash(token());
  const password = String(input.password ?? '');
  let ok = false;
  if (user?.password_hash) ok = await verify(user.password_hash, password);
  else await verify(await deps.dummyHash, password); // same cost for an unknown account: no user probing
  if (!ok || !user) {
    for (const key of buckets) await deps.failures.consume(key).catch((e) => e instanceof RateLimiterRes);
    throw new ServiceError('ADW_UNAUTHORIZED', 'wrong email or password');
  }
  for (const key of buckets) await deps.failures.delete(key);
  return startSession(deps, user);
}

/** A one-time sign-in link (15 minutes) for a user, by default the first; a fresh install gets its bootstrap admin. */
async function loginLink(deps: UsersDeps, wanted?: string) {
  let user = wanted ? await deps.users.byEmail(wanted.trim().toLowerCase()) : (await deps.users.list())[0];
  if (!user) {
    if ((await deps.users.count()) > 0)
      throw new ServiceError('ADW_NOT_FOUND', `no user ${wanted}; see Settings > Users`);
    user = await deps.users.create({ email: 'admin@localhost', passwordHash: null }, new Date(deps.now()));
  }
  const email = user.email;
  const value = token();
  const now = new Date(deps.now());
  const expiresAt = new Date(now.getTime() + LOGIN_LINK_MS);
  await deps.users.addLoginLink(hashApiKey(value), user.id, now, expiresAt);
  return { url: `${deps.publicUrl()}/login/link/${value}`, email, expires_at: expiresAt.toISOString() };
}

/** Uses a sign-in link (once). Null when it is unknown, used or expired. */
async function useLoginLink(deps: UsersDeps, value: string) {
  const userId = await deps.users.useLoginLink(hashApiKey(value), new Date(deps.now()));
  const user = userId ? await deps.users.byId(userId) : undefined;
  return user ? startSession(deps, user) : null;
}

/** The session behind a cookie value, or null. */
async function session(deps: UsersDeps, value: string): Promise<Principal | null> {
  const found = await deps.users.useSession(hashApiKey(value), new Date(deps.now()), SESSION_IDLE_MS);
  if (!found) return null;
  return {
    type: 'user',
    userId: found.user.id,
    email: found.user.email,
    csrf: found.session.csrf_token,
    // An operator limited to some clients reads and acts on them, but manages no keys or users.
    scopes: clientIdsOf(found.user) === null ? API_SCOPES : API_SCOPES.slice(0, 2),
    clientIds: clientIdsOf(found.user),
  };
}

async function signOut(deps: UsersDeps, value: string) {
  await deps.users.dropSession(hashApiKey(value));
}

/** The API key behind a bearer value, or null. */
async function apiKey(deps: UsersDeps, value: string): Promise<Principal | null> {
  const key = await deps.apiKeys.use(hashApiKey(value), new Date(deps.now()));
  if (!key) return null;
  // Scopes nest: admin includes write, write includes read.
  const rank = Math.max(-1, ...key.scopes.map((s) => (API_SCOPES as readonly string[]).indexOf(s)));
  const scopes = API_SCOPES.slice(0, rank + 1);
  return { type: 'key', keyId: key.id, name: key.name, scopes, clientIds: null };
}

/** Creates an API key; its value is returned once and only its hash is kept. */
async function createApiKey(deps: UsersDeps, input: unknown) {
  const parsed = NewKey.safeParse(input ?? {});
  if (!parsed.success) throw invalid('api key', parsed.error);
  const value = `adw_${token()}`;
  const id = await deps.apiKeys.create(
    { name: parsed.data.name, keyHash: hashApiKey(value), scopes: parsed.data.scopes },
    new Date(deps.now()),
  );
  return { id, name: parsed.data.name, scopes: parsed.data.scopes, key: value };
}

async function listApiKeys(deps: UsersDeps) {
  return (await deps.apiKeys.list()).map((k) => ({
    id: k.id,
    name: k.name,
    scopes: k.scopes,
    created_at: k.created_at.toISOString(),
    last_used_at: k.last_used_at?.toISOString() ?? null,
    revoked_at: k.revoked_at?.toISOString() ?? null,
  }));
}

async function revokeApiKey(deps: UsersDeps, id: string) {
  if (!(await deps.apiKeys.revoke(id, new Date(deps.now()))))
    throw new ServiceError('ADW_NOT_FOUND', `no live API key ${id}`);
  return { id, revoked: true };
}

export type UsersService = ReturnType<typeof usersService>;
