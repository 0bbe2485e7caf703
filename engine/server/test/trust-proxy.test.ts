/** BATON_TRUST_PROXY: what it accepts, and that a bad value is refused naming the variable. */
import { trustProxyFromEnv } from '../src/api/middleware/client-address';

describe('BATON_TRUST_PROXY', () => {
  it('trusts nothing by default', () => {
    expect(trustProxyFromEnv({})).toBe(false);
    for (const value of ['', ' ', 'false', '0']) expect(trustProxyFromEnv({ BATON_TRUST_PROXY: value })).toBe(false);
  });

  it('takes a number of hops or a list of addresses, CIDR ranges and named ranges', () => {
    expect(trustProxyFromEnv({ BATON_TRUST_PROXY: '1' })).toEqual({ hops: 1 });
    expect(trustProxyFromEnv({ BATON_TRUST_PROXY: '127.0.0.1' })).toEqual({ proxies: ['127.0.0.1'] });
    expect(trustProxyFromEnv({ BATON_TRUST_PROXY: ' 10.0.0.0/8, fd00::/8 ,loopback,::1' })).toEqual({
      proxies: ['10.0.0.0/8', 'fd00::/8', 'loopback', '::1'],
    });
  });

  it.each([
    [
      'true',
      /^BATON_TRUST_PROXY: trusting every peer would let any client choose its address; name the proxies \(e.g. 127.0.0.1 or 10.0.0.0\/8\) or a number of hops$/,
    ],
    ['*', /trusting every peer/],
    ['11', /at most 10/],
    ['10.0.0.0/33', /"10.0.0.0\/33"/],
    ['127.0.0.1, proxy.internal', /"proxy.internal" is neither/],
    ['::1/129', /"::1\/129"/],
    ['10.0.0.1/', /"10.0.0.1\/"/],
  ])('refuses %s, naming the variable', (value, message) => {
    expect(() => trustProxyFromEnv({ BATON_TRUST_PROXY: value })).toThrow(/^BATON_TRUST_PROXY: /);
    expect(() => trustProxyFromEnv({ BATON_TRUST_PROXY: value })).toThrow(message);
  });
});
