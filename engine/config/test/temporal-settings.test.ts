import { ConfigError, describeTemporal, temporalSettingsFromEnv } from '../src';

const files: Record<string, string> = { '/ca.pem': 'CA', '/client.pem': 'CERT', '/client.key': 'KEY' };
const readFile = (path: string): Uint8Array => {
  const text = files[path];
  if (text === undefined) throw new Error('ENOENT');
  return new TextEncoder().encode(text);
};
const decode = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

test('without settings: the local dev server, plaintext', () => {
  const settings = temporalSettingsFromEnv({}, readFile);
  expect(settings).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
  expect(describeTemporal(settings)).toBe('127.0.0.1:7233 namespace default (plaintext)');
});

test('empty variables count as unset (docker-compose passes ${VAR:-})', () => {
  expect(temporalSettingsFromEnv({ TEMPORAL_ADDRESS: '', TEMPORAL_TLS_CA: '' }, readFile)).toEqual({
    address: '127.0.0.1:7233',
    namespace: 'default',
  });
});

test('mutual TLS: the CA, the client pair and the server name are read', () => {
  const settings = temporalSettingsFromEnv(
    {
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'support',
      TEMPORAL_TLS_CA: '/ca.pem',
      TEMPORAL_TLS_CERT: '/client.pem',
      TEMPORAL_TLS_KEY: '/client.key',
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    },
    readFile,
  );
  expect(settings.address).toBe('temporal.internal:7233');
  expect(settings.tls?.serverNameOverride).toBe('temporal');
  expect(decode(settings.tls?.serverRootCACertificate)).toBe('CA');
  expect(decode(settings.tls?.clientCertPair?.crt)).toBe('CERT');
  expect(decode(settings.tls?.clientCertPair?.key)).toBe('KEY');
  expect(describeTemporal(settings)).toBe('temporal.internal:7233 namespace support (mutual TLS)');
});

test('Temporal Cloud: an API key implies TLS with the system roots, and is never described', () => {
  const settings = temporalSettingsFromEnv(
    { TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'secret-key' },
    readFile,
  );
  expect(settings.tls).toEqual({});
  expect(settings.apiKey).toBe('secret-key');
  expect(describeTemporal(settings)).not.toContain('secret-key');
});

test.each([
  [{ TEMPORAL_TLS_CERT: '/client.pem' }, /TEMPORAL_TLS_KEY: mutual TLS needs both/],
  [{ TEMPORAL_TLS_KEY: '/client.key' }, /TEMPORAL_TLS_CERT: mutual TLS needs both/],
  [{ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }, /TEMPORAL_TLS: is false, but TLS settings are given/],
  [{ TEMPORAL_TLS: 'yes' }, /TEMPORAL_TLS:/],
  [{ TEMPORAL_ADDRESS: 'http://temporal:7233' }, /TEMPORAL_ADDRESS: must be host:port/],
  [{ TEMPORAL_TLS_CA: '/missing.pem' }, /TEMPORAL_TLS_CA: cannot read \/missing.pem/],
])('a bad setting names its variable: %j', (env, message) => {
  expect(() => temporalSettingsFromEnv(env, readFile)).toThrow(ConfigError);
  expect(() => temporalSettingsFromEnv(env, readFile)).toThrow(message);
});
