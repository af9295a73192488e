// Numbers for lesson 08 (AI applications), computed by the reference engine at build time.
import {
  attention,
  attention2d,
  attentionCost,
  causalMask,
  createRng,
  kvCacheBytes,
  leakageProbe,
  paddingMask,
  promptBoundaryMask,
  randomTensor,
  segmentMask,
  tensor,
  toNested,
  type Role,
  type Tensor,
} from '../engine';

export type ShapeRow = { object: string; shape: string; meaning: string };
const row = (object: string, shape: string, meaning: string): ShapeRow => ({ object, shape, meaning });
const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);

// ---------------------------------------------------------------------------------------------
// 8.1 In-context learning as retrieval over examples: keys = example inputs, values = their labels.
export const exampleInputs = [
  [2, 0, 0, 0],
  [0, 2, 0, 0],
  [0, 0, 2, 0],
];
export const exampleLabels = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
export const query81 = [[0.2, 1.8, 0.1, 0]];
const icl = attention2d(query81, exampleInputs, exampleLabels);
export const iclWeights = icl.weights[0];
export const iclOutput = icl.output[0];
/** A fourth, conflicting example close to the query (same input direction, different label). */
export const extraInput = [0.1, 1.9, 0, 0.3];
export const extraLabel = [0, 0, 1];
const icl2 = attention2d(query81, [...exampleInputs, extraInput], [...exampleLabels, extraLabel]);
export const icl2Weights = icl2.weights[0];
export const icl2Output = icl2.output[0];
export const shapes81: ShapeRow[] = [
  row('X_{\\text{prompt}}', String.raw`T \times d_{\text{model}}`, 'instructions, examples and the new input, one sequence'),
  row('K_{\\text{examples}}', String.raw`n_{\text{ex}} \times d_k`, 'addresses of the example inputs'),
  row('V_{\\text{examples}}', String.raw`n_{\text{ex}} \times d_v`, 'payloads carrying the example labels'),
  row('a_{\\text{query}}', String.raw`n_{\text{ex}}`, 'how much each example informs the answer'),
];

// ---------------------------------------------------------------------------------------------
// 8.2 Retrieval-augmented generation: a question token attends over prompt + evidence + distractors.
const D82 = 8;
const rng82 = createRng(82);
const evidenceDir = Array.from(randomTensor(rng82, [D82]).data);
export const nPrompt = 6;
export const nEvidence = 4;
function ragRun(nDistractor: number, evidenceVisible: boolean) {
  const rng = createRng(820);
  const T = nPrompt + nEvidence + nDistractor;
  const k = randomTensor(rng, [1, 1, T, D82]);
  for (let j = nPrompt; j < nPrompt + nEvidence; j++) for (let e = 0; e < D82; e++) k.data[j * D82 + e] += evidenceDir[e];
  const v = randomTensor(rng, [1, 1, T, 2]);
  const q = tensor([1, 1, 1, D82], evidenceDir.map((x) => 1.2 * x));
  const keep = tensor([1, 1, 1, T], Array.from({ length: T }, (_, j) => (!evidenceVisible && j >= nPrompt && j < nPrompt + nEvidence ? 0 : 1)));
  const w = Array.from(attention(q, k, v, { mask: keep }).weights.data);
  return { T, evidenceMass: sum(w.slice(nPrompt, nPrompt + nEvidence)), distractorMass: sum(w.slice(nPrompt + nEvidence)), promptMass: sum(w.slice(0, nPrompt)) };
}
export const ragDistractors = [0, 8, 32, 128];
export const ragVisible = ragDistractors.map((n) => ({ n, ...ragRun(n, true) }));
export const ragMasked = ragRun(8, false);
export const shapes82: ShapeRow[] = [
  row('X = [\\text{prompt};\\ \\text{passages}]', String.raw`(T_p + T_r) \times d_{\text{model}}`, 'retrieved text is pasted into the context'),
  row('A_{i,\\text{evidence}}', String.raw`T_q \times T_{\text{ev}}`, 'weight the answer tokens put on the evidence'),
  row('\\sum_{j \\in \\text{ev}} A_{ij}', String.raw`T_q`, 'evidence mass per query: zero if masked, diluted by distractors'),
];

// ---------------------------------------------------------------------------------------------
// 8.3 Tool and chat delimiters: the engine's default prompt-boundary rules.
export const roles83: Role[] = ['system', 'system', 'user', 'user', 'tool', 'tool', 'assistant', 'assistant', 'tool', 'tool', 'assistant', 'assistant'];
const pm = promptBoundaryMask(roles83);
export const mask83 = toNested(pm) as number[][];
export const visibleCount83 = mask83.map((r) => sum(r));
export const causalCount83 = sum((toNested(causalMask(roles83.length, roles83.length)) as number[][]).map(sum));
export const maskCount83 = sum(visibleCount83);
/** Which positions the second tool segment's last token sees. */
export const secondToolSees = mask83[9].flatMap((x, j) => (x ? [j] : []));
export const systemSees = mask83[1].flatMap((x, j) => (x ? [j] : []));
// Perturb the user tokens: system and tool outputs must not move under the boundary mask.
const rng83 = createRng(83);
const T83 = roles83.length;
const q83 = randomTensor(rng83, [1, 1, T83, 4]);
const k83 = randomTensor(rng83, [1, 1, T83, 4]);
const v83 = randomTensor(rng83, [1, 1, T83, 4]);
const userPos = roles83.flatMap((r, j) => (r === 'user' ? [j] : []));
export const toolPos = roles83.flatMap((r, j) => (r === 'tool' ? [j] : []));
const probe83 = (mask?: Tensor) =>
  leakageProbe((x) => attention(x.q, x.k, x.v, mask ? { mask } : { causal: true }).output, { q: q83, k: k83, v: v83 }, {
    perturb: { q: userPos, k: userPos, v: userPos },
    observe: toolPos,
  });
export const boundaryProbe = probe83(pm);
export const plainProbe = probe83();
export const shapes83: ShapeRow[] = [
  row('\\text{roles}', 'T', 'system / user / tool / assistant label of every token'),
  row('M_{\\text{prompt}}', String.raw`T \times T`, 'keep-mask from role rules, combined with causality'),
  row('M_{ij}', '\\{0, 1\\}', '1 if a token of role r_i may read a token of role r_j'),
];

// ---------------------------------------------------------------------------------------------
// 8.4 Long documents: an 8B-class GQA shape (32 layers, 32 heads, 8 KV heads, d_h 128, bf16).
export const model84 = { layers: 32, heads: 32, kvHeads: 8, headDim: 128, bytesPerElement: 2 };
export const lengths84 = [8192, 32768, 131072];
export const long84 = lengths84.map((T) => {
  const m = model84;
  const prefill = attentionCost({ phase: 'prefill', batch: 1, heads: m.heads, kvHeads: m.kvHeads, seqLen: T, headDim: m.headDim, layers: m.layers, bytesPerElement: m.bytesPerElement, cache: true });
  const decode = attentionCost({ phase: 'decode', batch: 1, heads: m.heads, kvHeads: m.kvHeads, seqLen: T, headDim: m.headDim, layers: m.layers, bytesPerElement: m.bytesPerElement, cache: true });
  return {
    T,
    kv: kvCacheBytes({ layers: m.layers, batch: 1, seqLen: T, kvHeads: m.kvHeads, headDim: m.headDim, bytesPerElement: m.bytesPerElement }),
    prefillFlops: prefill.flops,
    decodeBytes: decode.bytesRead + decode.bytesWritten,
    scoreBytes: m.heads * T * T * m.bytesPerElement,
  };
});
export const shapes84: ShapeRow[] = [
  row('K_{\\text{cache}},\\;V_{\\text{cache}}', String.raw`L \times B \times H_{kv} \times T \times d_h`, 'linear in T: the memory bill'),
  row('S \\text{ (if materialised)}', String.raw`B \times H \times T \times T`, 'quadratic in T: avoided by tiled kernels'),
  row('\\text{prefill FLOPs}', String.raw`4\,B\,H\,T^2 d_h L`, 'quadratic in T: the time to first token'),
];

// ---------------------------------------------------------------------------------------------
// 8.5 Safety and leakage: packed sequences and padding.
export const segments85 = [0, 0, 0, 0, 1, 1, 1, 1];
const T85 = segments85.length;
const rng85 = createRng(85);
const q85 = randomTensor(rng85, [1, 1, T85, 4]);
const k85 = randomTensor(rng85, [1, 1, T85, 4]);
const v85 = randomTensor(rng85, [1, 1, T85, 4]);
const docA = segments85.flatMap((s, j) => (s === 0 ? [j] : []));
export const docB = segments85.flatMap((s, j) => (s === 1 ? [j] : []));
const probe85 = (opts: { causal?: boolean; mask?: Tensor }) =>
  leakageProbe((x) => attention(x.q, x.k, x.v, opts).output, { q: q85, k: k85, v: v85 }, {
    perturb: { q: docA, k: docA, v: docA },
    observe: docB,
  });
export const packedPlain = probe85({ causal: true });
export const packedSegment = probe85({ mask: segmentMask([segments85], { causal: true }) });
// Left padding without a padding mask: pad positions' values reach real tokens.
export const padLen = 3;
const padPos = Array.from({ length: padLen }, (_, j) => j);
const realPos = Array.from({ length: T85 - padLen }, (_, j) => padLen + j);
const probePad = (withMask: boolean) =>
  leakageProbe(
    (x) => attention(x.q, x.k, x.v, withMask ? { causal: true, mask: paddingMask([T85 - padLen], T85, { side: 'left' }) } : { causal: true }).output,
    { q: q85, k: k85, v: v85 },
    { perturb: { k: padPos, v: padPos }, observe: realPos },
  );
export const padNoMask = probePad(false);
export const padWithMask = probePad(true);
export const shapes85: ShapeRow[] = [
  row('\\text{segment ids}', String.raw`B \times T`, 'which packed document (or message) each token belongs to'),
  row('M_{\\text{doc}}', String.raw`B \times 1 \times T \times T`, 'same document and j ≤ i'),
  row('M_{\\text{pad}}', String.raw`B \times 1 \times 1 \times T`, 'hides pad keys, left or right'),
  row('\\max_{i \\in \\text{protected}} |\\Delta O_i|', '\\text{scalar}', 'the leak measured by the perturbation test: must be 0'),
];
