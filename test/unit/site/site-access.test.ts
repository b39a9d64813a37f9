/**
 * The access rule, table by table: every kind of address against every kind of viewer, then the
 * tricks (traversal, encoded slashes and dots, case, doubled slashes, look-alike codes), then
 * grants read from token claims. U60865 and U61000 are in ICB QMF; U70000 is in QKK.
 */
import { describe, expect, it } from 'vitest';
import {
  authorise,
  grantsFromGroups,
  type IcbOfNetwork,
  pathAccess,
} from '../../../src/site/site-access.js';

const ICBS: Record<string, string> = { U60865: 'QMF', U61000: 'QMF', U70000: 'QKK' };
const icbOf: IcbOfNetwork = (network) => ICBS[network];

const VIEWERS = {
  lead: new Set(['network:U60865']),
  commissioner: new Set(['icb:QMF']),
  otherIcb: new Set(['icb:QKK']),
  nobody: new Set<string>(),
};
type ViewerName = keyof typeof VIEWERS;

/** The status each viewer gets for a path (200 for allowed), and for a viewer not signed in. */
function statuses(path: string): Record<ViewerName | 'anonymous', number> {
  const status = (viewer: ReadonlySet<string> | undefined) => {
    const decision = authorise(path, viewer, icbOf);
    return decision.allow ? 200 : decision.status;
  };
  return {
    lead: status(VIEWERS.lead),
    commissioner: status(VIEWERS.commissioner),
    otherIcb: status(VIEWERS.otherIcb),
    nobody: status(VIEWERS.nobody),
    anonymous: status(undefined),
  };
}

const all = (code: number) => ({
  lead: code,
  commissioner: code,
  otherIcb: code,
  nobody: code,
  anonymous: code,
});

describe('the pages of the site', () => {
  it.each([
    // path, lead (U60865), commissioner (QMF), other ICB (QKK), no grants, not signed in
    ['/', 200, 200, 200, 200, 401],
    ['/index.html', 200, 200, 200, 200, 401],
    ['/assets/site.css', 200, 200, 200, 200, 401],
    ['/assets/vendor/vega.min.js', 200, 200, 200, 200, 401],
    ['/networks/U60865/', 200, 200, 403, 403, 401],
    ['/networks/U60865', 200, 200, 403, 403, 401],
    ['/networks/U60865/index.html', 200, 200, 403, 403, 401],
    ['/networks/U60865/data/network-week.csv', 200, 200, 403, 403, 401],
    ['/networks/U61000/', 403, 200, 403, 403, 401],
    ['/networks/U70000/', 403, 403, 200, 403, 401],
    ['/reports/2026-W46/U60865/', 200, 200, 403, 403, 401],
    ['/reports/2026-W46/U60865/index.html', 200, 200, 403, 403, 401],
    ['/reports/2026-W46/U61000/', 403, 200, 403, 403, 401],
    ['/reports/2026-W46/U70000/', 403, 403, 200, 403, 401],
    ['/icb/QMF/', 403, 200, 403, 403, 401],
    ['/icb/QMF/data/icb-week.arrow', 403, 200, 403, 403, 401],
    ['/icb/QKK/', 403, 403, 200, 403, 401],
  ])('%s', (path, lead, commissioner, otherIcb, nobody, anonymous) => {
    expect(statuses(path)).toEqual({ lead, commissioner, otherIcb, nobody, anonymous });
  });

  it('opens a network whose ICB is not known only to its own lead', () => {
    expect(pathAccess('/networks/U99999/', icbOf)).toEqual({
      kind: 'grants',
      grants: ['network:U99999'],
    });
    expect(authorise('/networks/U99999/', new Set(['network:U99999']), icbOf)).toEqual({
      allow: true,
    });
    expect(statuses('/icb/UNKNOWN/')).toMatchObject({ commissioner: 403, otherIcb: 403 });
  });
});

describe('addresses that are refused whoever asks', () => {
  it.each([
    // Traversal, plain and encoded.
    ['/networks/U61000/../U60865/', 400],
    ['/networks/U60865/../../icb/QMF/', 400],
    ['/networks/U60865/./', 400],
    ['/networks/U60865/%2e%2e/U61000/', 400],
    ['/networks/%2E%2E/icb/QMF/', 400],
    // Encoded slashes and backslashes.
    ['/networks/U60865%2F..%2FU61000/', 400],
    ['/networks/U60865%2fdata', 400],
    ['/networks\\U60865\\', 400],
    ['/networks/U60865\\..\\U61000/', 400],
    // Doubled slashes, NUL, spaces, unicode look-alikes, query strings left in.
    ['//networks/U60865/', 400],
    ['/networks//U60865/', 400],
    ['/networks/U60865\u0000/', 400],
    ['/networks/U60865 /', 400],
    ['/networks/\uFF35\uFF16\uFF10\uFF18\uFF16\uFF15/', 400],
    ['/networks/U60865/?x=1', 400],
    ['', 400],
    ['networks/U60865/', 400],
    // Case tricks: the site writes upper-case codes and lower-case areas.
    ['/networks/u60865/', 404],
    ['/Networks/U60865/', 404],
    ['/NETWORKS/U60865/', 404],
    ['/icb/qmf/', 404],
    ['/ICB/QMF/', 404],
    // Look-alike codes and areas.
    ['/networks/U6086/', 404],
    ['/networks/U608650/', 404],
    ['/networks/X60865/', 404],
    ['/networks/', 404],
    ['/icb/', 404],
    ['/icb/QMFX/', 404],
    ['/reports/2026-W46/', 404],
    ['/reports/2026-W54/U60865/', 404],
    ['/reports/2026-46/U60865/', 404],
    ['/reports/U60865/2026-W46/', 404],
    ['/assets', 404],
    ['/secret.txt', 404],
    ['/.env', 404],
    ['/_auth/callback', 404],
  ])('%j -> %i', (path, status) => {
    expect(statuses(path)).toEqual(all(status));
  });
});

describe('grants from sign-in claims', () => {
  it('reads network and ICB groups, and nothing from other groups', () => {
    expect([...grantsFromGroups(['network-U60865', 'icb-QMF', 'admins'])].sort()).toEqual([
      'icb:QMF',
      'network:U60865',
    ]);
  });

  it('grants nothing for malformed, lower-case, look-alike or UNKNOWN codes', () => {
    expect(
      grantsFromGroups([
        'network-u60865',
        'network-U6086',
        'icb-qmf',
        'icb-UNKNOWN',
        'network:U60865',
        'icb-QMF-x',
        'network-U60865/../U61000',
      ]),
    ).toEqual(new Set());
    expect(grantsFromGroups([])).toEqual(new Set());
  });
});
