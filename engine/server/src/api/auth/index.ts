/**
 * Access control: who is calling (middleware.ts), sign-in and admin routes (../routes/auth.ts), tokens
 * (tokens.ts), OIDC (oidc.ts). Wired into the API by `createApp({ auth })`.
 */
import type { Db } from 'mongodb';
import { createAuthStore, sha256, type AuthStore, type User } from '@baton/store/auth';
import type { StaffRole } from '../access';
import { hashPassword } from '../routes/auth';
import { newApiKey, randomToken, signConversationToken } from './tokens';
import { AuthConfigError, type AuthOptions } from './options';
import { passwordWeakness } from './password-strength';

export { authOptionsFromEnv, AuthConfigError, minimumSecretLength, type AuthOptions } from './options';
export { oidcConfigFromEnv, type OidcConfig } from './oidc-config';
export { passwordWeakness, minimumPasswordScore } from './password-strength';
export { authRoutes, hashPassword } from '../routes/auth';
export { identify, sessionCookie, csrfHeader } from './middleware';
export { signConversationToken, verifyConversationToken, newApiKey, randomToken } from './tokens';

export const defaultConversationTokenTtlSeconds = 7 * 24 * 60 * 60;

/** The customer's token for one conversation, as POST /api/conversations hands it out. */
export function conversationTokenFor(
  conversationId: string,
  options: AuthOptions,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  return signConversationToken(
    { conversationId, exp: nowSeconds + (options.conversationTokenTtlSeconds ?? defaultConversationTokenTtlSeconds) },
    options.tokenSecret,
  );
}

export function authStoreOf(db: Db): AuthStore {
  return createAuthStore(db);
}

/** Creates a user with a password (for `baton dev`, tests and scripts). */
export async function createUserWithPassword(
  store: AuthStore,
  input: { email: string; password: string; roles: StaffRole[]; name?: string },
): Promise<User> {
  return store.createUser({
    email: input.email,
    roles: input.roles,
    ...(input.name && { name: input.name }),
    passwordHash: await hashPassword(input.password),
  });
}

/** Creates an API key and answers it (the only time it exists in clear). */
export async function issueApiKey(
  store: AuthStore,
  input: { name: string; roles: StaffRole[]; createdBy: string },
): Promise<string> {
  const key = newApiKey();
  await store.createApiKey(sha256(key), {
    name: input.name,
    roles: input.roles,
    createdBy: input.createdBy,
    prefix: key.slice(0, 7),
  });
  return key;
}

/**
 * The first admin, when there is no user at all: answers its email and a random password
 * (to print once), or undefined when users exist already.
 */
export async function ensureFirstAdmin(
  store: AuthStore,
  email = 'admin@localhost',
  password = randomToken(18),
): Promise<{ user: User; password: string } | undefined> {
  if ((await store.countUsers()) > 0) return undefined;
  const weakness = passwordWeakness(password);
  if (weakness) throw new AuthConfigError(`the first admin's password ${weakness}`);
  const user = await createUserWithPassword(store, { email, password, roles: ['admin'], name: 'Admin' });
  return { user, password };
}

/**
 * A server's first admin from BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD (docker-compose, production),
 * created only when there is no user at all; answers its email when it was created.
 */
export async function firstAdminFromEnv(
  store: AuthStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const email = env.BATON_ADMIN_EMAIL;
  const password = env.BATON_ADMIN_PASSWORD;
  if (!email && !password) return undefined;
  if (!email || !password)
    throw new AuthConfigError(
      'set both BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD (or neither) to create the first admin',
    );
  const weakness = passwordWeakness(password, [email]);
  if (weakness) throw new AuthConfigError(`BATON_ADMIN_PASSWORD ${weakness}`);
  await store.ensureIndexes();
  return (await ensureFirstAdmin(store, email, password))?.user.email;
}
