import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/package-root.js';
import { parseCsvRecords } from '../../../src/reference/csv.js';
import {
  buildReference,
  detectLayout,
  loadReference,
  networkIcbOverrides,
  periodOf,
} from '../../../src/reference/organisations.js';

const LAYOUT_2022 = `PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_CCG_CODE,CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME
GP_PRAC_PAT_LIST,01Jan2022,F84698,ABERFELDY PRACTICE,E14 0PU,U60865,TOWER HAMLETS NETWORK 7 PCN,E38000186,08V,NHS Tower Hamlets CCG,E54000029,QMF,East London Health and Care Partnership
GP_PRAC_PAT_LIST,01Jan2022,F84025,GOUGH WALK PRACTICE,E14 0EY,U60865,TOWER HAMLETS NETWORK 7 PCN,E38000186,08V,NHS Tower Hamlets CCG,E54000029,QMF,East London Health and Care Partnership
GP_PRAC_PAT_LIST,01Jan2022,Y99999,"THE OUTSIDER, UNALLOCATED",E1 1AA,U,Unallocated,E38000186,08V,NHS Tower Hamlets CCG,E54000029,QMF,East London Health and Care Partnership
`;

const LAYOUT_2023 = `PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ONS_ICB_CODE,ICB_CODE,ICB_NAME
F84698,ABERFELDY PRACTICE,E14 0PU,U60865,POPLAR AND LIMEHOUSE PCN,E38000255,A3A8R,NHS North East London ICB - A3A8R,E54000029,QMF,NHS North East London Integrated Care Board
`;

const OVERLAY = `PRACTICE_CODE,STP_CODE,ICB_CODE,ICB_NAME
F84025,QMF,QMF,NHS North East London Integrated Care Board
`;

const file = (name: string, text: string) => ({ name, records: parseCsvRecords(text) });

describe('reference data', () => {
  it('detects each layout and refuses an unknown one, naming the file', () => {
    expect(detectLayout(['PRACTICE_CODE', 'PCN_CODE', 'STP_CODE'], 'a.csv')).toBe('pcn-2022');
    expect(detectLayout(['PRACTICE_CODE', 'PCN_CODE', 'ICB_CODE'], 'a.csv')).toBe('pcn-2023');
    expect(detectLayout(['PRACTICE_CODE', 'ICB_CODE'], 'a.csv')).toBe('icb-overlay');
    expect(() => detectLayout(['CODE'], 'odd.csv')).toThrow('odd.csv: no PRACTICE_CODE column');
    expect(() => detectLayout(['PRACTICE_CODE', 'NAME'], 'odd.csv')).toThrow(
      /odd.csv: not a known practice mapping layout/,
    );
  });

  it('reads the 2022 layout, taking STP codes as ICB codes, and keeps unallocated practices out of networks', () => {
    const ref = buildReference([file('old_2022-01.csv', LAYOUT_2022)]);
    expect(ref.practices.get('Y99999')).toEqual({
      code: 'Y99999',
      name: 'THE OUTSIDER, UNALLOCATED',
      postcode: 'E1 1AA',
      networkCode: null,
      icbCode: 'QMF',
    });
    expect(ref.networks.get('U60865')).toEqual({
      code: 'U60865',
      name: 'TOWER HAMLETS NETWORK 7 PCN',
      icbCode: 'QMF',
      practiceCodes: ['F84025', 'F84698'],
    });
    expect(ref.networks.has('U')).toBe(false);
    expect(ref.icbs.get('QMF')?.name).toBe('East London Health and Care Partnership');
  });

  it('lets later files win: 2023 names and ICB names replace 2022 ones', () => {
    const ref = buildReference([
      file('a_2022-01.csv', LAYOUT_2022),
      file('b_2023-10.csv', LAYOUT_2023),
      file('c_2023-10.csv', OVERLAY),
    ]);
    expect(ref.networks.get('U60865')?.name).toBe('POPLAR AND LIMEHOUSE PCN');
    expect(ref.icbs.get('QMF')?.name).toBe('NHS North East London Integrated Care Board');
    expect(ref.practices.get('F84025')?.networkCode).toBe('U60865');
  });

  it('orders files by the period in their names', () => {
    expect(periodOf('gp-reg-pat-prac-map_2022-01.csv')).toBe('2022-01');
    expect(periodOf('practice-icb-map_2023-10_ebmdatalab.csv')).toBe('2023-10');
  });

  it("gives a network with practices in two ICBs one ICB: most practices', then most patients'", () => {
    // U1: two practices in QAA, one in QBB. U2: one each; QBB's has more registered patients.
    const map = `PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ICB_CODE,ICB_NAME
A1,A1,X,U11111,ONE,QAA,Aa
A2,A2,X,U11111,ONE,QAA,Aa
B1,B1,X,U11111,ONE,QBB,Bb
A3,A3,X,U22222,TWO,QAA,Aa
B2,B2,X,U22222,TWO,QBB,Bb
C1,C1,X,U33333,THREE,QCC,Cc
`;
    const sizes = `EXTRACT_DATE,CODE,NUMBER_OF_PATIENTS
01APR2026,A3,4000
01APR2026,B2,9000
`;
    const ref = buildReference([file('map_2023-10.csv', map), file('sizes_2026-04.csv', sizes)]);
    expect(['U11111', 'U22222', 'U33333'].map((c) => ref.networks.get(c)?.icbCode)).toEqual([
      'QAA',
      'QBB',
      'QCC',
    ]);
    // Only the networks that span two ICBs need their shifts counted in another than the practice's.
    expect(networkIcbOverrides(ref)).toEqual([
      { networkCode: 'U11111', icbCode: 'QAA' },
      { networkCode: 'U22222', icbCode: 'QBB' },
    ]);
  });

  it('counts each of the bundled networks that span two ICBs in one', async () => {
    const ref = await loadReference(path.join(packageRoot, 'data', 'reference'));
    const spanning = networkIcbOverrides(ref).map((n) => n.networkCode);
    // Coast and Country (Devon and Cornwall) among them; each in one ICB of its practices'.
    expect(spanning).toContain('U41591');
    for (const { networkCode, icbCode } of networkIcbOverrides(ref)) {
      const icbs = ref.networks
        .get(networkCode)
        ?.practiceCodes.map((c) => ref.practices.get(c)?.icbCode);
      expect(icbs).toContain(icbCode);
    }
  });

  it('loads the bundled files: Tower Hamlets has six networks and 26 practices', async () => {
    const ref = await loadReference(path.join(packageRoot, 'data', 'reference'));
    // 6,527 practices in the 2022 mapping + 7 that only the 2023 ICB overlay knows (newer practices).
    expect(ref.practices.size).toBe(6534);
    // In no network: the 68 with PCN_CODE=U in 2022, plus the 7 overlay-only practices.
    expect([...ref.practices.values()].filter((p) => p.networkCode === null)).toHaveLength(68 + 7);
    expect(ref.icbs.size).toBe(42);
    const towerHamlets = ['U50771', 'U54453', 'U87199', 'U08803', 'U60865', 'U09193'].map((c) =>
      ref.networks.get(c),
    );
    expect(
      towerHamlets.map((n) => n?.practiceCodes.length).reduce((a = 0, b = 0) => a + b, 0),
    ).toBe(26);
    expect(
      ref.networks.get('U60865')?.practiceCodes.map((p) => ref.practices.get(p)?.name),
    ).toEqual([
      'GOUGH WALK PRACTICE',
      'THE LIMEHOUSE PRACTICE',
      'THE CHRISP STREET HTH CTR',
      'ABERFELDY PRACTICE',
    ]);
    expect(ref.practices.get('F84714')).toMatchObject({
      name: "ST. PAUL'S WAY MEDICAL CTR",
      icbCode: 'QMF',
    });
    expect(ref.icbs.get('QMF')?.name).toBe('NHS North East London Integrated Care Board');
  });
});
