// Unit checks of the lesson data behind the corrected claims of lessons 5–7 (cost model, FlashAttention, masks).
import { describe, expect, it } from 'vitest';
import * as l05 from '../../src/lesson-data/05-decoder-attention';
import * as l06 from '../../src/lesson-data/06-efficient-attention';
import * as l07 from '../../src/lesson-data/07-diagnostics';

describe('lesson 06 data', () => {
  it('6.1: attention overtakes the MLP at T = 4·d_model (3072 for 768, 16384 for 4096)', () => {
    expect(l06.crossover61.small.T).toBe(4 * 768);
    expect(l06.crossover61.big.T).toBe(4 * 4096);
  });

  it('6.2: standard = minimal + four H×T×T matrices; tiled = minimal + (passes − 1) extra K/V reads', () => {
    const io = l06.io62;
    expect(io.standard).toBe(io.minimal + 4 * io.matrixBytes);
    expect(io.tiledKvPasses).toBe(l06.T62 / l06.tile62);
    expect(io.tiled).toBe(io.minimal + (io.tiledKvPasses - 1) * io.kvBytes);
    expect(io.tileBytes).toBeLessThanOrEqual(l06.onChip62);
    // The tiled kernel sits between the two: far from the Θ(Td) minimal count.
    expect(io.tiled).toBeLessThan(io.standard);
    expect(io.tiled).toBeGreaterThan(10 * io.minimal);
  });

  it('6.2: more on-chip memory, bigger tiles, less traffic; the saving is larger for d_h = 64 than 128', () => {
    const sweep = l06.memorySweep62;
    for (let i = 1; i < sweep.length; i++) {
      expect(sweep[i].tile).toBeGreaterThan(sweep[i - 1].tile);
      expect(sweep[i].traffic).toBeLessThan(sweep[i - 1].traffic);
    }
    const [d64, d128] = l06.headWidths62;
    expect(d64.mOverD2).toBe(4 * d128.mOverD2);
    expect(d64.ratio).toBeGreaterThan(2 * d128.ratio);
  });

  it('6.3: FlashAttention-1 normalising every tile is exact and equals FlashAttention-2’s Õ/ℓ at every step', () => {
    expect(l06.fa1Row.diff).toBeLessThan(1e-12);
    expect(l06.fa1Row.steps).toHaveLength(l06.T63 / l06.bk63);
    for (const s of l06.fa1Row.steps) expect(Math.abs(s.o0 - s.fa2o0)).toBeLessThan(1e-12);
    expect(l06.fa1Row.steps.at(-1)!.o0).toBeCloseTo(l06.fa1Row.naive0, 12);
  });

  it('6.4: the window table shows the query and w − 1 earlier keys per row', () => {
    const rows = l06.windowMaskRows;
    rows.forEach((r, i) => expect(r.reduce((a, b) => a + b, 0)).toBe(Math.min(i + 1, l06.windowDemo.w)));
  });
});

describe('lesson 05 data', () => {
  it('5.3: a tiled prefill reads K and V once per query tile and stays compute-bound', () => {
    const t = l05.tiledPrefill.cost;
    expect(t.kvPasses).toBe(4096 / l05.tiledPrefill.tile);
    expect(t.flops).toBe(l05.prefill.flops);
    expect(t.bytesRead).toBeGreaterThan(l05.prefill.bytesRead);
    expect(t.arithmeticIntensity).toBeGreaterThan(100 * l05.decode.arithmeticIntensity);
  });
});

describe('lesson 07 data', () => {
  it('self-check 2: a finite bias leaves tiny future weights; a mask after softmax leaves exact zeros and short rows', () => {
    expect(l07.finiteBiasFutureMax).toBeGreaterThan(0);
    expect(l07.finiteBiasFutureMax).toBeLessThan(1e-7);
    expect(l07.maskAfterFutureMax).toBe(0);
    expect(l07.maskAfterMinRowSum).toBeLessThan(1);
  });
});
