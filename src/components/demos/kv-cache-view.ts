// KV-cache calculator: state, engine computation and the HTML of its results (shared by the
// build-time render and the client island, so both show exactly the same thing).
import { attentionCost, kvCacheBytes } from '../../engine';
import { fmtBytes } from '../format';

export interface KVState {
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  bytesPerElement: number;
  seqLen: number;
  batch: number;
}

/** Generic presets: shapes typical of a model class, not the specification of any named model. For MHA
 * presets kvHeads is only the comparison setting of the GQA row. */
export const KV_PRESETS: { id: string; label: string; state: Omit<KVState, 'seqLen' | 'batch' | 'bytesPerElement'> }[] = [
  { id: 'mha7', label: '7B-class MHA (32 layers, 32 heads, d_h 128)', state: { layers: 32, heads: 32, kvHeads: 8, headDim: 128 } },
  { id: 'gqa8', label: '8B-class GQA (32 layers, 32 heads, 8 KV heads, d_h 128)', state: { layers: 32, heads: 32, kvHeads: 8, headDim: 128 } },
  { id: 'gqa70', label: '70B-class GQA (80 layers, 64 heads, 8 KV heads, d_h 128)', state: { layers: 80, heads: 64, kvHeads: 8, headDim: 128 } },
  { id: 'small', label: 'Small MHA (12 layers, 12 heads, d_h 64)', state: { layers: 12, heads: 12, kvHeads: 4, headDim: 64 } },
];

export const KV_DTYPES = [
  { label: 'fp32 (4 bytes)', bytes: 4 },
  { label: 'fp16 / bf16 (2 bytes)', bytes: 2 },
  { label: 'int8 / fp8 (1 byte)', bytes: 1 },
];

export const KV_DEFAULT: KVState = { ...KV_PRESETS[0].state, bytesPerElement: 2, seqLen: 4096, batch: 1 };

/** Largest divisor of h that is ≤ kv (so GQA stays valid when the inputs disagree). */
export function validKvHeads(h: number, kv: number): number {
  for (let g = Math.min(h, Math.max(1, kv)); g >= 1; g--) if (h % g === 0) return g;
  return 1;
}

export function computeKV(s: KVState) {
  const kvHeads = validKvHeads(s.heads, s.kvHeads);
  const bytes = (kv: number) =>
    kvCacheBytes({ layers: s.layers, batch: s.batch, seqLen: s.seqLen, kvHeads: kv, headDim: s.headDim, bytesPerElement: s.bytesPerElement });
  const variants = [
    { id: 'mha', name: 'MHA', kvHeads: s.heads, bytes: bytes(s.heads) },
    { id: 'gqa', name: 'GQA', kvHeads, bytes: bytes(kvHeads) },
    { id: 'mqa', name: 'MQA', kvHeads: 1, bytes: bytes(1) },
  ];
  const base = { batch: s.batch, heads: s.heads, kvHeads, seqLen: s.seqLen, headDim: s.headDim, layers: s.layers, bytesPerElement: s.bytesPerElement, cache: true };
  const prefill = attentionCost({ ...base, phase: 'prefill' });
  const decode = attentionCost({ ...base, phase: 'decode' });
  const T = s.seqLen;
  // Per generated/processed token: prefill's totals divided by the prompt length; decode is one token.
  const perToken = {
    prefill: { flops: prefill.flops / T, bytes: (prefill.bytesRead + prefill.bytesWritten) / T, intensity: prefill.arithmeticIntensity },
    decode: { flops: decode.flops, bytes: decode.bytesRead + decode.bytesWritten, intensity: decode.arithmeticIntensity },
  };
  return { kvHeads, variants, prefill, decode, perToken };
}

const esc = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Compact scientific notation for FLOPs, e.g. 2.15e9 → "2.15 × 10⁹". */
export function sci(x: number): string {
  if (x === 0) return '0';
  const sup: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  const [m, e] = x.toExponential(2).split('e');
  return `${m} × 10${String(Number(e)).split('').map((c) => sup[c]).join('')}`;
}

/** Width of a log-scale bar in % for a value within [lo, hi]. */
function logPct(x: number, lo: number, hi: number): number {
  if (x <= lo) return 2;
  return Math.max(2, Math.min(100, (100 * Math.log10(x / lo)) / Math.log10(hi / lo)));
}

export function renderKV(s: KVState): string {
  const r = computeKV(s);
  const maxBytes = Math.max(...r.variants.map((v) => v.bytes));
  const rows = r.variants
    .map(
      (v) => `<tr data-variant="${v.id}" data-kv-heads="${v.kvHeads}" data-bytes="${v.bytes}">
  <th scope="row">${v.name}</th><td>${v.kvHeads}</td>
  <td class="kv-bytes">${esc(fmtBytes(v.bytes))}</td>
  <td class="kv-barcell" aria-hidden="true"><span class="kv-bar" style="width:${Math.max(1, (100 * v.bytes) / maxBytes).toFixed(1)}%"></span></td>
</tr>`,
    )
    .join('');
  const metric = (name: string, key: 'flops' | 'bytes' | 'intensity', unit: string, lo: number, hi: number) => {
    const p = r.perToken.prefill[key];
    const dd = r.perToken.decode[key];
    const show = (x: number) => (key === 'bytes' ? fmtBytes(x) : key === 'intensity' ? x.toFixed(2) : sci(x));
    return `<div class="kv-metric" data-metric="${key}">
  <div class="kv-metric-name">${name} <span class="kv-unit">${unit}</span></div>
  <div class="kv-pair"><span class="kv-tag">prefill</span><span class="kv-track"><span class="kv-bar kv-bar--prefill" style="width:${logPct(p, lo, hi).toFixed(1)}%"></span></span><span class="kv-val" data-phase="prefill" data-value="${p}">${esc(show(p))}</span></div>
  <div class="kv-pair"><span class="kv-tag">decode</span><span class="kv-track"><span class="kv-bar kv-bar--decode" style="width:${logPct(dd, lo, hi).toFixed(1)}%"></span></span><span class="kv-val" data-phase="decode" data-value="${dd}">${esc(show(dd))}</span></div>
</div>`;
  };
  const f = [r.perToken.prefill.flops, r.perToken.decode.flops];
  const b = [r.perToken.prefill.bytes, r.perToken.decode.bytes];
  const i = [r.perToken.prefill.intensity, r.perToken.decode.intensity];
  const bound = (x: number) => (x >= 100 ? 'compute-bound' : x < 10 ? 'bandwidth-bound' : 'in between');
  return `<table class="kv-table"><caption>KV cache for B = ${s.batch}, T = ${s.seqLen}, ${s.layers} layers, d_h = ${s.headDim}, ${s.bytesPerElement} byte(s) per element</caption>
<thead><tr><th scope="col">Variant</th><th scope="col">H_kv</th><th scope="col">Cache</th><th scope="col"><span class="sr-only">Relative size</span></th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="kv-note">Attention core per token at T = ${s.seqLen} (GQA setting, H_kv = ${r.kvHeads}; log-scale bars):</p>
${metric('FLOPs', 'flops', 'per token', Math.min(...f) / 10, Math.max(...f) * 1.5)}
${metric('Bytes moved', 'bytes', 'per token', Math.min(...b) / 10, Math.max(...b) * 1.5)}
${metric('Arithmetic intensity', 'intensity', 'FLOP/byte', Math.min(...i) / 10, Math.max(...i) * 1.5)}
<p class="kv-verdict">Prefill: ${i[0].toFixed(1)} FLOP/byte (${bound(i[0])}); decode: ${i[1].toFixed(2)} FLOP/byte (${bound(i[1])}).</p>`;
}
