// Right: written from the statement alone: costs from the table term by term, a decode step that copies the cache and uses a two-pass softmax.

export function decodeShapes(B: number, heads: number, kvHeads: number, P: number, headDim: number): DecodePhaseShapes {
  return {
    prefillScores: [B, heads, P, P],
    stepQuery: [B, heads, 1, headDim],
    stepScores: [B, heads, 1, P + 1],
    stepOutput: [B, heads, 1, headDim],
    cacheKeys: [B, kvHeads, P + 1, headDim],
  };
}

function cost(flops: number, bytesRead: number, bytesWritten: number): PhaseCost {
  return { flops, bytesRead, bytesWritten, arithmeticIntensity: flops / (bytesRead + bytesWritten) };
}

export function prefillCost(c: PhaseCostInput): PhaseCost {
  const unit = c.batch * c.layers * c.seqLen * c.headDim * c.bytesPerElement; // one head's rows over all layers
  const written = c.heads * unit + (c.cache ? 2 * c.kvHeads * unit : 0);
  return cost(4 * c.batch * c.heads * c.seqLen * c.seqLen * c.headDim * c.layers, (c.heads + 2 * c.kvHeads) * unit, written);
}

export function decodeStepCost(c: PhaseCostInput): PhaseCost {
  if (!c.cache) return prefillCost({ ...c, cache: false });
  const row = c.batch * c.layers * c.headDim * c.bytesPerElement;
  return cost(4 * c.batch * c.heads * c.seqLen * c.headDim * c.layers, row * (c.heads + 2 * c.kvHeads * c.seqLen), row * (c.heads + 2 * c.kvHeads));
}

export function decodeStep(q: Vector, kNew: Vector, vNew: Vector, cache: DecodeCache): DecodeStepOutput {
  const keys = cache.keys.map((r) => r.slice());
  const values = cache.values.map((r) => r.slice());
  keys.push(kNew.slice());
  values.push(vNew.slice());
  const s = keys.map((k) => k.reduce((a, x, d) => a + x * q[d], 0) / Math.sqrt(q.length));
  let top = -Infinity;
  for (const x of s) if (x > top) top = x;
  const w = s.map((x) => Math.exp(x - top));
  const z = w.reduce((a, x) => a + x, 0);
  const output = vNew.map((_, c) => values.reduce((a, v, j) => a + (w[j] / z) * v[c], 0));
  return { output, cache: { keys, values } };
}

export function generateWithCache(Q: Matrix, K: Matrix, V: Matrix, P: number): Matrix {
  let cache: DecodeCache = { keys: [], values: [] };
  for (let t = 0; t < P; t++) cache = { keys: [...cache.keys, K[t]], values: [...cache.values, V[t]] };
  const out: Matrix = [];
  for (let t = P; t < Q.length; t++) {
    const r = decodeStep(Q[t], K[t], V[t], cache);
    out.push(r.output);
    cache = r.cache;
  }
  return out;
}
