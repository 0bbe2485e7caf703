/**
 * How a Baton process reaches Temporal, read once from its environment. The worker
 * (NativeConnection) and the API (Connection) take the same options, so a cluster behind TLS or
 * mutual TLS, or Temporal Cloud with an API key, is configuration alone.
 *
 *   TEMPORAL_ADDRESS          host:port                        default 127.0.0.1:7233
 *   TEMPORAL_NAMESPACE        namespace                        default "default"
 *   TEMPORAL_TLS              "true" for TLS with the system's trusted roots (implied by the settings below)
 *   TEMPORAL_TLS_CA           PEM file of the CA that signed the server's certificate
 *   TEMPORAL_TLS_CERT         PEM file of this client's certificate (mutual TLS; with TEMPORAL_TLS_KEY)
 *   TEMPORAL_TLS_KEY          PEM file of this client's private key
 *   TEMPORAL_TLS_SERVER_NAME  the name to check the server's certificate against (SNI), when not the address's host
 *   TEMPORAL_API_KEY          Temporal Cloud API key (implies TLS)
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Uint8Array;
  clientCertPair?: { crt: Uint8Array; key: Uint8Array };
}

/** What `Connection.connect` and `NativeConnection.connect` take, plus the namespace. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  /** Absent: a plain connection (the local dev server). */
  tls?: TemporalTls;
  apiKey?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const Flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const NonEmpty = z.string().trim().min(1);

const TemporalVariables = z.object({
  TEMPORAL_ADDRESS: NonEmpty.regex(/^[^\s/]+:\d{1,5}$/, 'must be host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: NonEmpty.max(255).default('default'),
  TEMPORAL_TLS: Flag.optional(),
  TEMPORAL_TLS_CA: NonEmpty.optional(),
  TEMPORAL_TLS_CERT: NonEmpty.optional(),
  TEMPORAL_TLS_KEY: NonEmpty.optional(),
  TEMPORAL_TLS_SERVER_NAME: NonEmpty.optional(),
  TEMPORAL_API_KEY: NonEmpty.optional(),
});

const TemporalEnvironment = TemporalVariables.superRefine((env, ctx) => {
  if ((env.TEMPORAL_TLS_CERT === undefined) !== (env.TEMPORAL_TLS_KEY === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.TEMPORAL_TLS_CERT === undefined ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'],
      message: 'mutual TLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY',
    });
  }
  const wantsTls = env.TEMPORAL_TLS_CA ?? env.TEMPORAL_TLS_CERT ?? env.TEMPORAL_TLS_SERVER_NAME ?? env.TEMPORAL_API_KEY;
  if (env.TEMPORAL_TLS === false && wantsTls !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS'], message: 'is false, but TLS settings are given' });
  }
});

/** Every variable temporalSettingsFromEnv reads: what a deployment passes to the worker and the API. */
export const temporalEnvironmentVariables = Object.keys(TemporalVariables.shape) as (keyof z.infer<
  typeof TemporalVariables
>)[];

type FileReader = (path: string) => Uint8Array;

/**
 * The Temporal settings of this process. Empty variables count as unset (docker-compose passes
 * `${VAR:-}`); a bad value or an unreadable file is a ConfigError naming the variable.
 */
export function temporalSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  readFile: FileReader = (path) => readFileSync(path),
): TemporalSettings {
  const given = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key.startsWith('TEMPORAL_') && value !== ''),
  );
  const parsed = TemporalEnvironment.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join('.') || 'TEMPORAL_*'}: ${issue?.message ?? 'invalid'}`);
  }
  const vars = parsed.data;
  const read = (name: 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY'): Uint8Array | undefined => {
    const path = vars[name];
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      throw new ConfigError(
        `${name}: cannot read ${path} (${error instanceof Error ? error.message : String(error)})`,
        {
          cause: error,
        },
      );
    }
  };
  const ca = read('TEMPORAL_TLS_CA');
  const crt = read('TEMPORAL_TLS_CERT');
  const key = read('TEMPORAL_TLS_KEY');
  const useTls =
    vars.TEMPORAL_TLS === true ||
    ca !== undefined ||
    crt !== undefined ||
    vars.TEMPORAL_TLS_SERVER_NAME !== undefined ||
    vars.TEMPORAL_API_KEY !== undefined;
  return {
    address: vars.TEMPORAL_ADDRESS,
    namespace: vars.TEMPORAL_NAMESPACE,
    ...(useTls && {
      tls: {
        ...(vars.TEMPORAL_TLS_SERVER_NAME !== undefined && { serverNameOverride: vars.TEMPORAL_TLS_SERVER_NAME }),
        ...(ca !== undefined && { serverRootCACertificate: ca }),
        ...(crt !== undefined && key !== undefined && { clientCertPair: { crt, key } }),
      },
    }),
    ...(vars.TEMPORAL_API_KEY !== undefined && { apiKey: vars.TEMPORAL_API_KEY }),
  };
}

/** One line for a start-up log: where and how, never a secret. */
export function describeTemporal(settings: TemporalSettings): string {
  const how = settings.apiKey
    ? 'TLS with an API key'
    : settings.tls?.clientCertPair
      ? 'mutual TLS'
      : settings.tls
        ? 'TLS'
        : 'plaintext';
  return `${settings.address} namespace ${settings.namespace} (${how})`;
}
