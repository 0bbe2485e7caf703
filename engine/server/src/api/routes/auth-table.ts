/** The route table of sign-in, users and API keys (the router is routes/auth.ts), and the bodies they parse. */
import { z } from 'zod';
import { staffRoles } from '../access';
import { route } from './route';
import { passwordWeakness } from '../auth/password-strength';

const Email = z.string().trim().min(3).max(320).email('must be an email address');
/** Long enough and not guessable (common passwords, keyboard walks, repeats: auth/password-strength.ts). */
const Password = z
  .string()
  .max(1024)
  .superRefine((password, ctx) => {
    const weakness = passwordWeakness(password);
    if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
  });
const Roles = z.array(z.enum(staffRoles)).max(3);
const LoginBody = z
  .object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) })
  .strict();
const CreateUserBody = z
  .object({
    email: Email,
    name: z.string().trim().min(1).max(200).optional(),
    password: Password.optional(),
    roles: Roles,
  })
  .strict();
const UpdateUserBody = z
  .object({
    roles: Roles.optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().min(1).max(200).optional(),
    password: Password.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one of roles, disabled, name, password');
const CreateKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    roles: Roles.min(1, 'an API key needs at least one role'),
    /** When the key stops working (ISO 8601, in the future); absent: when its user does. */
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((at) => Date.parse(at) > Date.now(), 'must be in the future')
      .optional(),
  })
  .strict();
export const IdParam = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/, 'must be an id');

const tag = 'auth';
export const authTable = {
  login: route({
    method: 'post',
    path: '/api/auth/login',
    audience: ['public'],
    tag,
    summary: 'Sign in with email and password: sets the session cookie, answers the user and the CSRF token',
    body: LoginBody,
  }),
  me: route({
    method: 'get',
    path: '/api/auth/me',
    audience: ['public'],
    tag,
    summary: 'Who is signed in (401 when nobody is)',
  }),
  logout: route({
    method: 'post',
    path: '/api/auth/logout',
    audience: ['public'],
    tag,
    summary: 'Sign out: ends the session',
    statuses: [204],
    produces: 'none',
  }),
  methods: route({
    method: 'get',
    path: '/api/auth/methods',
    audience: ['public'],
    tag,
    summary: 'How one can sign in here: password always, company SSO (OIDC) when configured',
  }),
  oidcStart: route({
    method: 'get',
    path: '/api/auth/oidc/start',
    audience: ['public'],
    tag,
    summary: 'Redirect to the OIDC provider (when configured)',
    statuses: [302],
    produces: 'none',
  }),
  oidcCallback: route({
    method: 'get',
    path: '/api/auth/oidc/callback',
    audience: ['public'],
    tag,
    summary: "The OIDC provider's redirect back: signs the user in",
    statuses: [302],
    produces: 'none',
  }),
  listUsers: route({ method: 'get', path: '/api/admin/users', audience: ['admin'], tag, summary: 'List the users' }),
  createUser: route({
    method: 'post',
    path: '/api/admin/users',
    audience: ['admin'],
    tag,
    summary: 'Create a user',
    body: CreateUserBody,
    statuses: [201],
  }),
  updateUser: route({
    method: 'patch',
    path: '/api/admin/users/:userId',
    audience: ['admin'],
    tag,
    summary: "Change a user's roles, name or password, or disable them",
    body: UpdateUserBody,
  }),
  listApiKeys: route({
    method: 'get',
    path: '/api/admin/api-keys',
    audience: ['admin'],
    tag,
    summary: 'List the API keys',
  }),
  createApiKey: route({
    method: 'post',
    path: '/api/admin/api-keys',
    audience: ['admin'],
    tag,
    summary: 'Issue an API key (its secret is shown once)',
    body: CreateKeyBody,
    statuses: [201],
  }),
  listOwnApiKeys: route({
    method: 'get',
    path: '/api/auth/api-keys',
    audience: ['agent', 'designer'],
    tag,
    summary: "The signed-in user's own API keys",
  }),
  deleteOwnApiKey: route({
    method: 'delete',
    path: '/api/auth/api-keys/:keyId',
    audience: ['agent', 'designer'],
    tag,
    summary: 'Revoke one of your own API keys',
    statuses: [204],
    produces: 'none',
  }),
  deleteApiKey: route({
    method: 'delete',
    path: '/api/admin/api-keys/:keyId',
    audience: ['admin'],
    tag,
    summary: 'Revoke an API key',
    statuses: [204],
    produces: 'none',
  }),
};
