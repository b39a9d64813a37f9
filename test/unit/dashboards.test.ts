import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';

const dir = path.join(packageRoot, 'dashboards');
const specFiles = (await readdir(dir)).filter((f) => f.endsWith('.vl.json'));

describe('dashboards/*.vl.json', () => {
  it('has specs', () => {
    expect(specFiles.length).toBeGreaterThanOrEqual(2);
  });

  it.each(specFiles)(
    '%s compiles to Vega, takes data by name and describes itself',
    async (file) => {
      const spec = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
      expect(spec.data?.name).toMatch(/^[a-z_]+$/);
      expect(typeof spec.description).toBe('string');
      const warnings: string[] = [];
      const logger = {
        level: () => logger,
        error: (...m: unknown[]) => {
          throw new Error(String(m));
        },
        warn: (...m: unknown[]) => {
          warnings.push(String(m));
          return logger;
        },
        info: () => logger,
        debug: () => logger,
      };
      const { spec: vega } = compile(spec, { logger: logger as never });
      expect(vega.marks?.length).toBeGreaterThan(0);
      expect(warnings).toEqual([]);
    },
  );
});
