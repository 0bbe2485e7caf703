/**
 * Sign-in, sign-out and who-am-I for the web app; users and API keys for admins; OIDC sign-in when configured.
 */
import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { hash, verify } from '@node-rs/argon2';
import { sha256, UserExistsError, type AuthStore, type User } from '@baton/store/auth';
import { identityOf } from '../access';
import type { Audit } from '../audit';
import { HttpProblem, parseOrThrow, sendProblem } from '../problem';
import { apiKeyOf, clearSessionCookie, identify, sessionOf, setSessionCookie } from '../auth/middleware';
import { createOidc, oidcCookie } from '../auth/oidc';
import type { AuthOptions } from '../auth/options';
import { newApiKey, randomToken } from '../auth/tokens';
import { IdParam, authTable } from './auth-table';
import { register } from './route';

export const defaultSessionTtlMs = 12 * 60 * 60 * 1000;

/** argon2id with the library's defaults (19 MiB, t=2): the OWASP recommendation. */
export const hashPassword = (password: string) => hash(password);

export interface AuthRoutesOptions {
  store: AuthStore;
  options: AuthOptions;
  audit: Audit;
}

export function authRoutes({ store, options, audit }: AuthRoutesOptions): Router {
  const router = express.Router();
  const ttlMs = options.sessionTtlMs ?? defaultSessionTtlMs;
  // Unknown users are checked against a real hash too, so both failures take as long.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hash(randomToken(16)));

  const startSession = async (req: Request, res: Response, user: User) => {
    const token = randomToken(32);
    const csrfToken = randomToken(24);
    await store.createSession(sha256(token), {
      userId: user.userId,
      csrfToken,
      expiresAt: new Date(Date.now() + ttlMs),
    });
    setSessionCookie(req, res, token, options, Math.floor(ttlMs / 1000));
    return csrfToken;
  };

  const loginLimit = options.loginAttemptsPerWindow ?? 10;
  const loginLimiter =
    loginLimit > 0
      ? rateLimit({
          windowMs: options.rateLimitWindowMs ?? 60_000,
          limit: loginLimit,
          standardHeaders: 'draft-7',
          legacyHeaders: false,
          handler: (_req, res, _next, used) => {
            res.setHeader('Retry-After', String(Math.ceil(used.windowMs / 1000)));
            sendProblem(
              res,
              new HttpProblem(
                429,
                'Too many sign-in attempts',
                `at most ${loginLimit} sign-in attempts per ${Math.round(used.windowMs / 1000)} s from one address`,
              ),
            );
          },
        })
      : (_req: Request, _res: Response, next: () => void) => next();

  register(router, authTable.login, loginLimiter, async (req, res) => {
    const { email, password } = parseOrThrow(authTable.login.body, req.body);
    const found = await store.findUserForLogin(email);
    const passwordHash = found?.passwordHash ?? (await decoyHash());
    const matches = await verify(passwordHash, password).catch(() => false);
    // Same answer for an unknown user, a wrong password and a disabled account: nothing to probe.
    if (!found || !found.passwordHash || !matches || found.user.disabled)
      throw new HttpProblem(401, 'Sign-in failed', 'wrong email or password');
    const csrfToken = await startSession(req, res, found.user);
    res.json({ user: found.user, csrfToken });
  });

  register(router, authTable.me, (_req, res) => {
    const current = sessionOf(res);
    if (current) return void res.json({ user: current.user, csrfToken: current.session.csrfToken });
    const identity = identityOf(res);
    if (identity?.kind === 'user')
      return void res.json({
        user: {
          userId: identity.userId,
          email: identity.email,
          name: identity.name,
          roles: identity.roles,
          disabled: false,
        },
      });
    throw new HttpProblem(401, 'Sign-in required', 'not signed in');
  });

  register(router, authTable.logout, async (req, res) => {
    const current = sessionOf(res);
    if (current) await store.deleteSession(current.tokenHash);
    clearSessionCookie(req, res, options);
    res.status(204).end();
  });

  // OIDC: the routes always exist (the route table does not depend on configuration) and answer 404 when it is off.
  const oidc = options.oidc && createOidc(options.oidc, options.tokenSecret);
  // The sign-in page offers single sign-on only where it works.
  register(router, authTable.methods, (_req, res) => void res.json({ password: true, sso: Boolean(oidc) }));
  register(router, authTable.oidcStart, async (req, res) => {
    if (!oidc)
      throw new HttpProblem(
        404,
        'OIDC sign-in is not configured',
        'set BATON_OIDC_ISSUER, BATON_OIDC_CLIENT_ID and BATON_OIDC_CLIENT_SECRET',
      );
    const { url, sealed, maxAge } = await oidc.start(req);
    res.append(
      'Set-Cookie',
      `${oidcCookie}=${sealed}; Path=/api/auth/oidc; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${req.secure || options.cookieSecure ? '; Secure' : ''}`,
    );
    res.redirect(302, url);
  });

  register(router, authTable.oidcCallback, async (req, res) => {
    if (!oidc)
      throw new HttpProblem(
        404,
        'OIDC sign-in is not configured',
        'set BATON_OIDC_ISSUER, BATON_OIDC_CLIENT_ID and BATON_OIDC_CLIENT_SECRET',
      );
    const sealed = /(?:^|;\s*)baton_oidc=([^;]+)/.exec(req.header('cookie') ?? '')?.[1];
    const { email, subject, name } = await oidc.finish(req, sealed);
    // Matched by email; someone the IdP knows but Baton does not gets an account without roles until an admin grants some.
    let user = await store.findUserByEmail(email);
    if (!user) {
      try {
        user = await store.createUser({
          email,
          roles: [],
          ...(name && { name }),
          ...(subject && { oidcSubject: subject }),
        });
        await audit.record(res, {
          action: 'user.create',
          subject: user.userId,
          actor: `oidc:${email}`,
          details: { email, roles: '', via: 'oidc' },
        });
      } catch (error) {
        if (!(error instanceof UserExistsError)) throw error;
        user = await store.findUserByEmail(email);
      }
    }
    if (!user || user.disabled) throw new HttpProblem(403, 'Sign-in refused', 'this account is disabled');
    await startSession(req, res, user);
    res.append('Set-Cookie', `${oidcCookie}=; Path=/api/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax`);
    res.redirect(302, '/');
  });

  // Users and API keys: admins only.
  const actorOf = (res: Response) => {
    const identity = identityOf(res);
    return identity?.kind === 'user' ? identity.email || identity.name : 'open';
  };

  register(router, authTable.listUsers, async (_req, res) => {
    res.json({ users: await store.listUsers() });
  });

  register(router, authTable.createUser, async (req, res) => {
    const body = parseOrThrow(authTable.createUser.body, req.body);
    try {
      const user = await store.createUser({
        email: body.email,
        roles: body.roles,
        ...(body.name && { name: body.name }),
        ...(body.password && { passwordHash: await hashPassword(body.password) }),
      });
      await audit.record(res, {
        action: 'user.create',
        subject: user.userId,
        actor: actorOf(res),
        details: { email: user.email, roles: user.roles.join(',') },
      });
      res.status(201).json({ user });
    } catch (error) {
      if (error instanceof UserExistsError)
        throw new HttpProblem(409, 'User exists', `/email: ${error.message}`, [
          { path: '/email', message: error.message },
        ]);
      throw error;
    }
  });

  register(router, authTable.updateUser, async (req, res) => {
    const userId = parseOrThrow(IdParam, req.params.userId, 'path parameter "userId"');
    const body = parseOrThrow(authTable.updateUser.body, req.body);
    const before = await store.getUser(userId);
    if (!before) throw new HttpProblem(404, 'User not found', `no user "${userId}"`);
    const identity = identityOf(res);
    if (
      identity?.kind === 'user' &&
      identity.userId === userId &&
      (body.disabled === true || (body.roles && !body.roles.includes('admin')))
    ) {
      throw new HttpProblem(
        409,
        'Cannot lock yourself out',
        'an admin cannot disable themself or drop their own admin role; ask another admin',
      );
    }
    const user = await store.updateUser(userId, {
      ...(body.roles && { roles: [...new Set(body.roles)] }),
      ...(body.disabled !== undefined && { disabled: body.disabled }),
      ...(body.name && { name: body.name }),
      ...(body.password && { passwordHash: await hashPassword(body.password) }),
    });
    // A disabled user or a new password ends every open session (but the one that changed its own password).
    const current = sessionOf(res);
    if (body.disabled === true || body.password)
      await store.deleteSessionsOf(userId, current?.user.userId === userId ? current.tokenHash : undefined);
    await audit.record(res, {
      action: 'user.update',
      subject: userId,
      actor: actorOf(res),
      details: {
        email: before.email,
        ...(body.roles && { rolesBefore: before.roles.join(','), rolesAfter: (user?.roles ?? []).join(',') }),
        ...(body.disabled !== undefined && { disabled: body.disabled }),
        ...(body.password && { passwordChanged: true }),
      },
    });
    res.json({ user });
  });

  register(router, authTable.listApiKeys, async (_req, res) => {
    res.json({ apiKeys: await store.listApiKeys() });
  });

  register(router, authTable.createApiKey, async (req, res) => {
    const body = parseOrThrow(authTable.createApiKey.body, req.body);
    const key = newApiKey();
    const identity = identityOf(res);
    // The key belongs to the person behind the request: the signed-in user, or the owner of the key used.
    const via = apiKeyOf(res);
    const ownerId = sessionOf(res)?.user.userId ?? (via ? (via.ownerId ?? via.createdBy) : undefined);
    const created = await store.createApiKey(sha256(key), {
      name: body.name,
      roles: [...new Set(body.roles)],
      createdBy: identity?.kind === 'user' ? identity.userId : 'open',
      prefix: key.slice(0, 7),
      ...(ownerId && (await store.getUser(ownerId)) && { ownerId }),
      ...(body.expiresAt && { expiresAt: new Date(body.expiresAt).toISOString() }),
    });
    await audit.record(res, {
      action: 'apiKey.create',
      subject: created.keyId,
      actor: actorOf(res),
      details: {
        name: created.name,
        roles: created.roles.join(','),
        ownerId: created.ownerId ?? null,
        expiresAt: created.expiresAt ?? null,
      },
    });
    // The key itself is shown once, here; only its hash is kept.
    res.status(201).json({ apiKey: created, key });
  });

  register(router, authTable.deleteApiKey, async (req, res) => {
    const keyId = parseOrThrow(IdParam, req.params.keyId, 'path parameter "keyId"');
    if (!(await store.deleteApiKey(keyId))) throw new HttpProblem(404, 'API key not found', `no API key "${keyId}"`);
    await audit.record(res, { action: 'apiKey.delete', subject: keyId, actor: actorOf(res) });
    res.status(204).end();
  });

  // One's own keys: any signed-in staff member (a key acts for its owner here too).
  const ownerOf = (res: Response) => sessionOf(res)?.user.userId ?? apiKeyOf(res)?.ownerId;

  register(router, authTable.listOwnApiKeys, async (_req, res) => {
    const ownerId = ownerOf(res);
    res.json({ apiKeys: ownerId ? await store.listApiKeys(ownerId) : [] });
  });

  register(router, authTable.deleteOwnApiKey, async (req, res) => {
    const keyId = parseOrThrow(IdParam, req.params.keyId, 'path parameter "keyId"');
    const key = await store.getApiKey(keyId);
    const ownerId = ownerOf(res);
    // Someone else's key answers as an unknown one: nothing to probe.
    if (!key || !ownerId || key.ownerId !== ownerId || !(await store.deleteApiKey(keyId)))
      throw new HttpProblem(404, 'API key not found', `no API key "${keyId}" of yours`);
    await audit.record(res, { action: 'apiKey.delete', subject: keyId, actor: actorOf(res) });
    res.status(204).end();
  });

  return router;
}

export { identify };
