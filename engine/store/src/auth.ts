/**
 * Staff users, their sign-in sessions and API keys, in MongoDB. Secrets are never stored: a session
 * token and an API key are kept as their SHA-256 (they are long random strings, so a fast hash is
 * enough), a password as its argon2id hash (made by the caller, engine/server/src/api/auth).
 * FerretDB-compatible: single-document writes, no transactions, simple queries.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { StaffRole } from '@baton/schemas';
import { isDuplicateKeyError } from './errors';

export const authCollections = { users: 'users', sessions: 'sessions', apiKeys: 'apiKeys' } as const;

export interface User {
  userId: string;
  email: string;
  name: string;
  roles: StaffRole[];
  disabled: boolean;
  createdAt: string;
  /** Set for users that signed in with OIDC (the IdP's subject). */
  oidcSubject?: string;
}

interface UserDoc extends User {
  _id: string;
  /** argon2id hash; absent for users who only sign in with OIDC. */
  passwordHash?: string;
}

export interface Session {
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

interface SessionDoc extends Session {
  /** SHA-256 of the cookie's token. */
  _id: string;
  createdAt: Date;
}

export interface ApiKey {
  keyId: string;
  name: string;
  roles: StaffRole[];
  createdBy: string;
  createdAt: string;
  lastUsedAt?: string;
  /** The first characters of the key, to recognise it in a list (never enough to use it). */
  prefix: string;
  /** The user whose key it is: the key stops when they are disabled or deleted. Absent for service keys (CLI, tests). */
  ownerId?: string;
  /** After this instant (ISO) the key is refused; absent: no expiry. */
  expiresAt?: string;
}

interface ApiKeyDoc extends ApiKey {
  /** SHA-256 of the key. */
  _id: string;
}

export class UserExistsError extends Error {
  constructor(email: string) {
    super(`a user with email "${email}" already exists`);
  }
}

export const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const normalizeEmail = (email: string) => email.trim().toLowerCase();
const publicUser = ({ _id: _ignored, passwordHash: _hash, ...user }: UserDoc): User => user;
const publicKey = ({ _id: _ignored, ...key }: ApiKeyDoc): ApiKey => key;

export interface AuthStore {
  ensureIndexes(): Promise<void>;
  countUsers(): Promise<number>;
  createUser(input: {
    email: string;
    name?: string;
    roles: StaffRole[];
    passwordHash?: string;
    oidcSubject?: string;
  }): Promise<User>;
  /** The user and its password hash, for sign-in. */
  findUserForLogin(email: string): Promise<{ user: User; passwordHash?: string } | undefined>;
  getUser(userId: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(
    userId: string,
    change: { roles?: StaffRole[]; disabled?: boolean; name?: string; passwordHash?: string; oidcSubject?: string },
  ): Promise<User | undefined>;

  createSession(tokenHash: string, session: Session): Promise<void>;
  /** The session when it exists and has not expired (an expired one is deleted). */
  getSession(tokenHash: string, now?: Date): Promise<Session | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of the user, except the one whose hash is `keep` (the request that changed the password). */
  deleteSessionsOf(userId: string, keep?: string): Promise<void>;

  createApiKey(keyHash: string, key: Omit<ApiKey, 'keyId' | 'createdAt'>): Promise<ApiKey>;
  /** The key for a hash, and marks it used. */
  useApiKey(keyHash: string, now?: Date): Promise<ApiKey | undefined>;
  /** Every key, or the keys of one owner. */
  listApiKeys(ownerId?: string): Promise<ApiKey[]>;
  getApiKey(keyId: string): Promise<ApiKey | undefined>;
  deleteApiKey(keyId: string): Promise<boolean>;
}

export function createAuthStore(db: Db): AuthStore {
  const users: Collection<UserDoc> = db.collection<UserDoc>(authCollections.users);
  const sessions: Collection<SessionDoc> = db.collection<SessionDoc>(authCollections.sessions);
  const apiKeys: Collection<ApiKeyDoc> = db.collection<ApiKeyDoc>(authCollections.apiKeys);
  return {
    async ensureIndexes() {
      await users.createIndex({ email: 1 }, { unique: true });
      await sessions.createIndex({ userId: 1 });
      await apiKeys.createIndex({ keyId: 1 }, { unique: true });
    },
    countUsers: () => users.countDocuments({}),
    async createUser(input) {
      const userId = randomUUID();
      const doc: UserDoc = {
        _id: userId,
        userId,
        email: normalizeEmail(input.email),
        name: input.name?.trim() || normalizeEmail(input.email),
        roles: [...new Set(input.roles)],
        disabled: false,
        createdAt: new Date().toISOString(),
        ...(input.passwordHash && { passwordHash: input.passwordHash }),
        ...(input.oidcSubject && { oidcSubject: input.oidcSubject }),
      };
      // The unique index decides a race; without it (first start) this check catches the common case.
      if (await users.findOne({ email: doc.email })) throw new UserExistsError(doc.email);
      try {
        await users.insertOne(doc);
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new UserExistsError(doc.email);
        throw error;
      }
      return publicUser(doc);
    },
    async findUserForLogin(email) {
      const doc = await users.findOne({ email: normalizeEmail(email) });
      return doc ? { user: publicUser(doc), ...(doc.passwordHash && { passwordHash: doc.passwordHash }) } : undefined;
    },
    async getUser(userId) {
      const doc = await users.findOne({ _id: userId });
      return doc ? publicUser(doc) : undefined;
    },
    async findUserByEmail(email) {
      const doc = await users.findOne({ email: normalizeEmail(email) });
      return doc ? publicUser(doc) : undefined;
    },
    async listUsers() {
      return (await users.find({}).sort({ email: 1 }).toArray()).map(publicUser);
    },
    async updateUser(userId, change) {
      const set = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
      if (Object.keys(set).length > 0) await users.updateOne({ _id: userId }, { $set: set });
      const doc = await users.findOne({ _id: userId });
      return doc ? publicUser(doc) : undefined;
    },

    async createSession(tokenHash, session) {
      await sessions.insertOne({ _id: tokenHash, ...session, createdAt: new Date() });
      // Housekeeping without a TTL index (FerretDB 1.x has none): a sign-in clears its user's expired sessions.
      await sessions.deleteMany({ userId: session.userId, expiresAt: { $lte: new Date() } });
    },
    async getSession(tokenHash, now = new Date()) {
      const doc = await sessions.findOne({ _id: tokenHash });
      if (!doc) return undefined;
      if (new Date(doc.expiresAt).getTime() <= now.getTime()) {
        await sessions.deleteOne({ _id: tokenHash });
        return undefined;
      }
      return { userId: doc.userId, csrfToken: doc.csrfToken, expiresAt: new Date(doc.expiresAt) };
    },
    async deleteSession(tokenHash) {
      await sessions.deleteOne({ _id: tokenHash });
    },
    async deleteSessionsOf(userId, keep) {
      await sessions.deleteMany(keep === undefined ? { userId } : { userId, _id: { $ne: keep } });
    },

    async createApiKey(keyHash, key) {
      const doc: ApiKeyDoc = { _id: keyHash, keyId: randomUUID(), createdAt: new Date().toISOString(), ...key };
      await apiKeys.insertOne(doc);
      return publicKey(doc);
    },
    async useApiKey(keyHash, now = new Date()) {
      const doc = await apiKeys.findOne({ _id: keyHash });
      if (!doc) return undefined;
      // Last use is informative: losing one write is harmless, so it does not hold up the request.
      void apiKeys.updateOne({ _id: keyHash }, { $set: { lastUsedAt: now.toISOString() } }).catch(() => undefined);
      return publicKey(doc);
    },
    async listApiKeys(ownerId) {
      const filter = ownerId === undefined ? {} : { ownerId };
      return (await apiKeys.find(filter).sort({ createdAt: 1 }).toArray()).map(publicKey);
    },
    async getApiKey(keyId) {
      const doc = await apiKeys.findOne({ keyId });
      return doc ? publicKey(doc) : undefined;
    },
    async deleteApiKey(keyId) {
      const result = await apiKeys.deleteOne({ keyId });
      return result.deletedCount === 1;
    },
  };
}
