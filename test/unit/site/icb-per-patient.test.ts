import { describe, expect, it } from 'vitest';
import {
  enhancedAccessFigure,
  icbPerPatientSummary,
  perThousandFigures,
  populationFigure,
} from '../../../src/site/icb-per-patient.js';
import type { IcbWeekRow } from '../../../src/site/site-data.js';
import { cover } from '../../fixtures/site/site-metrics.js';

describe('populationFigure', () => {
  it('says adjusted, a lower bound with the practices missing, or no data; never 0', () => {
    const row = (population: number | null, basis: string | null, missing: number | null) => ({
      population,
      population_basis: basis,
      population_practices_missing: missing,
    });
    expect(populationFigure(row(55_120, 'registered', 0))).toEqual({
      text: '55,120',
      sort: 55_120,
    });
    expect(populationFigure(row(55_120, 'adjusted', 0)).text).toBe('55,120 (adjusted)');
    expect(populationFigure(row(4_000, 'registered', 2)).text).toBe(
      '4,000, unknown for 2 practices',
    );
    expect(populationFigure(row(null, null, null))).toEqual({ text: 'no data', sort: null });
    // Metric files written before the column existed have none.
    expect(populationFigure({})).toEqual({ text: 'no data', sort: null });
  });
});

describe('perThousandFigures and enhancedAccessFigure', () => {
  it('formats hours and pounds per 1,000 patients, NULL as no data', () => {
    // £4,281.60 per 1,000 = 428,160 pence -> "£4,282".
    const f = perThousandFigures({
      filled_hours_per_1000: 20.64,
      unfilled_hours_per_1000: null,
      agency_spend_pence_per_1000: 428_160,
    });
    expect([f.filled.text, f.unfilled.text, f.agency.text]).toEqual([
      '20.6 h',
      'no data',
      '£4,282',
    ]);
    expect(f.agency.sort).toBe(428_160);
  });

  it('says met, the shortfall, or that the minimum is unknown', () => {
    // 12 h required (60 min x 12,000 / 1,000 / 60), 12.5 filled: met; sorts by 12.5 / 12.
    expect(
      enhancedAccessFigure({
        filled_hours: 12.5,
        required_hours: 12,
        shortfall_hours: 0,
        meets_minimum: true,
      }),
    ).toEqual({ text: '12.5 h of 12 h, met', sort: 12.5 / 12 });
    expect(
      enhancedAccessFigure({
        filled_hours: 11.2,
        required_hours: 12,
        shortfall_hours: 0.8,
        meets_minimum: false,
      }).text,
    ).toBe('11.2 h of 12 h, 0.8 h short');
    expect(
      enhancedAccessFigure({
        filled_hours: 3,
        required_hours: null,
        shortfall_hours: null,
        meets_minimum: null,
      }),
    ).toEqual({ text: '3 h filled, minimum unknown', sort: null });
    expect(enhancedAccessFigure(undefined).text).toBe('no data');
  });
});

describe('icbPerPatientSummary', () => {
  it('says when no network reporting has a whole population', () => {
    const week = {
      ...cover('2026-11-23', 9, 1),
      icb_code: 'QXX',
      networks_reporting: 2,
      population: null,
      population_networks: 0,
    } as IcbWeekRow;
    expect(icbPerPatientSummary(week, [])).toBe(
      '<p>Per 1,000 patients: no data (no network reporting this week has a known population for all its practices).</p>',
    );
  });
});
