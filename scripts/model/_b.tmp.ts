import { copyBatch, forward, HELD_OUT_SEED } from '../../src/model/index.ts';
import { shippedModel as model } from '../../src/model/shipped.ts';
for (const T of [32, 64]) {
  const [s] = copyBatch(HELD_OUT_SEED, 1, { seqLen: T, minSegment: T / 4, maxSegment: T / 2, vocabSize: 26 });
  const ts: number[] = [];
  for (let i = 0; i < 30; i++) { const t0 = performance.now(); forward(model, [s.tokens]); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  console.log(T, 'median', ts[15].toFixed(2), 'min', ts[0].toFixed(2));
}
