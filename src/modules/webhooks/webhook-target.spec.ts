import { isAllowedAddress, targetUrlProblem } from './webhook-target.js';

const PUBLIC_ONLY = { allowPrivateTargets: false };

describe('webhook targets', () => {
  it.each(['https://hooks.example.com/roster', 'https://8.8.8.8/x', 'https://[2001:4860:4860::8888]/x', 'https://hooks.example.com:8443/a?b=c'])('allows %s', (url) => {
    expect(targetUrlProblem(url, PUBLIC_ONLY)).toBeUndefined();
  });

  it.each([
    ['http://hooks.example.com/', 'https://'],
    ['https://127.0.0.1/', 'loopback'],
    ['https://127.1/', 'loopback'],
    ['https://0x7f000001/', 'loopback'],
    ['https://10.0.0.8/', 'private'],
    ['https://192.168.1.1/', 'private'],
    ['https://100.64.0.1/', 'carrierGradeNat'],
    ['https://169.254.169.254/latest/meta-data', 'linkLocal'],
    ['https://[::1]/', 'loopback'],
    ['https://[fd00::1]/', 'uniqueLocal'],
    ['https://[::ffff:10.0.0.1]/', 'private'],
    ['https://[64:ff9b::a00:1]/', 'rfc6052'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://localhost/', 'localhost'],
    ['https://api.localhost./', 'localhost'],
    ['https://a:b@hooks.example.com/', 'credentials'],
    ['https://hooks.example.com/#frag', 'fragment'],
  ])('refuses %s (%s)', (url, reason) => {
    expect(targetUrlProblem(url, PUBLIC_ONLY)).toContain(reason);
  });

  it('allows http:// and private addresses when private targets are allowed', () => {
    expect(targetUrlProblem('http://127.0.0.1:8080/hook', { allowPrivateTargets: true })).toBeUndefined();
    expect(targetUrlProblem('ftp://127.0.0.1/', { allowPrivateTargets: true })).toContain('http:// or https://');
  });

  it('checks resolved addresses: public unicast only', () => {
    expect(isAllowedAddress('93.184.215.14', PUBLIC_ONLY)).toBe(true);
    expect(isAllowedAddress('::ffff:127.0.0.1', PUBLIC_ONLY)).toBe(false);
    expect(isAllowedAddress('fe80::1', PUBLIC_ONLY)).toBe(false);
    expect(isAllowedAddress('224.0.0.1', PUBLIC_ONLY)).toBe(false);
    expect(isAllowedAddress('not-an-address', PUBLIC_ONLY)).toBe(false);
  });
});
