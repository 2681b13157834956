import { ROSTER_LIMITS_SCHEMA, type ScimFeatures, SERVICE_PROVIDER_CONFIG_SCHEMA, toServiceProviderConfig } from './discovery.js';

const BASE = 'https://scim.example.test/scim/v2';
const NOTHING: ScimFeatures = { patch: false, bulk: null, filter: null, filterLimits: null, changePassword: false, sort: false, etag: false, pagination: null };
const FILTERING: ScimFeatures = { ...NOTHING, filter: { maxResults: 1000 }, filterLimits: { maxFilterLength: 4096, maxFilterDepth: 32 } };

describe('toServiceProviderConfig', () => {
  it('keeps the core filter object to the members RFC 7643 §5 defines', () => {
    const config = toServiceProviderConfig(FILTERING, BASE);
    expect(config.filter).toEqual({ supported: true, maxResults: 1000 });
  });

  it("puts Roster's filter limits in its extension object and lists its URN in schemas (RFC 7643 §3.3)", () => {
    const config = toServiceProviderConfig(FILTERING, BASE);
    expect(config.schemas).toEqual([SERVICE_PROVIDER_CONFIG_SCHEMA, ROSTER_LIMITS_SCHEMA]);
    expect(config).toHaveProperty([ROSTER_LIMITS_SCHEMA], { maxFilterLength: 4096, maxFilterDepth: 32 });
  });

  it('claims neither filtering nor the extension when nothing filters', () => {
    const config = toServiceProviderConfig(NOTHING, BASE);
    expect(config.filter).toEqual({ supported: false, maxResults: 0 });
    expect(config.schemas).toEqual([SERVICE_PROVIDER_CONFIG_SCHEMA]);
    expect(Object.keys(config)).not.toContain(ROSTER_LIMITS_SCHEMA);
  });
});
