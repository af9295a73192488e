// Wrong: the FLOPs count only QKᵀ (2·T²·d_h per head), forgetting the equally large product AV.

/** Part (a): shapes of prefill over P prompt tokens and of the decode step that follows it. */
export function decodeShapes(B: number, heads: number, kvHeads: number, P: number, headDim: number): DecodePhaseShapes {
  return {
    prefillScores: [B, heads, P, P],
    stepQuery: [B, heads, 1, headDim],
    stepScores: [B, heads, 1, P + 1],
    stepOutput: [B, heads, 1, headDim],
    cacheKeys: [B, kvHeads, P + 1, headDim],
  };
}

/** Part (b): FLOPs and bytes of prefilling a prompt of c.seqLen tokens. */
export function prefillCost(c: PhaseCostInput): PhaseCost {
  const { batch: B, heads: h, kvHeads: hkv, seqLen: T, headDim: d, layers: L, bytesPerElement: b } = c;
  const flops = 2 * B * h * T * T * d * L; // QKᵀ
  const bytesRead = B * L * T * d * (h + 2 * hkv) * b; // Q, K, V
  let bytesWritten = B * L * T * h * d * b; // O
  if (c.cache) bytesWritten += 2 * B * L * T * hkv * d * b; // K and V into the cache
  return { flops, bytesRead, bytesWritten, arithmeticIntensity: flops / (bytesRead + bytesWritten) };
}

/** Part (b): FLOPs and bytes of one decode step with c.seqLen tokens in context (the new one included). */
export function decodeStepCost(c: PhaseCostInput): PhaseCost {
  if (!c.cache) {
    // Without a cache every step recomputes the whole prefix: a prefill of T tokens that writes no cache.
    return prefillCost({ ...c, cache: false });
  }
  const { batch: B, heads: h, kvHeads: hkv, seqLen: T, headDim: d, layers: L, bytesPerElement: b } = c;
  const flops = 2 * B * h * T * d * L; // q·kᵀ
  const bytesRead = B * L * d * (h + 2 * hkv * T) * b; // q and the whole cache
  const bytesWritten = B * L * d * (h + 2 * hkv) * b; // o, and the new k and v
  return { flops, bytesRead, bytesWritten, arithmeticIntensity: flops / (bytesRead + bytesWritten) };
}

/** Part (b): one decode step of one head: attend q to the cached keys plus the new key, and return the grown cache. */
export function decodeStep(q: Vector, kNew: Vector, vNew: Vector, cache: DecodeCache): DecodeStepOutput {
  const keys = [...cache.keys, kNew];
  const values = [...cache.values, vNew];
  const scale = 1 / Math.sqrt(q.length);
  const scores: number[] = [];
  for (const k of keys) {
    let dot = 0;
    for (let d = 0; d < q.length; d++) dot += q[d] * k[d];
    scores.push(dot * scale);
  }
  // The new token is the last position, so every key in the cache (and itself) is visible: no mask needed.
  const max = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  const output = new Array<number>(vNew.length).fill(0);
  for (let j = 0; j < keys.length; j++) {
    for (let c = 0; c < vNew.length; c++) output[c] += (e[j] / sum) * values[j][c];
  }
  return { output, cache: { keys, values } };
}

/** Part (b): prefill the cache with the first P positions, then decode positions P … T−1; return their outputs. */
export function generateWithCache(Q: Matrix, K: Matrix, V: Matrix, P: number): Matrix {
  let cache: DecodeCache = { keys: K.slice(0, P), values: V.slice(0, P) };
  const outputs: Matrix = [];
  for (let t = P; t < Q.length; t++) {
    const step = decodeStep(Q[t], K[t], V[t], cache);
    outputs.push(step.output);
    cache = step.cache;
  }
  return outputs;
}
