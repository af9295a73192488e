// Spec table of exercise 08: each clause of the statement and the tests that exercise it (checked by tests/graders/spec.test.ts).
import type { Clause } from './lib/spec';

const COST = (phase: 'prefill' | 'decode', key: string) =>
  ['flops', 'bytesRead', 'bytesWritten', 'arithmeticIntensity'].map((f) => `b.${phase}-cost.${f}.${key}`);

/** Clauses of exercises/08-prefill-decode/statement.mdx. */
export const spec: Clause[] = [
  { id: 'shapes', text: 'decodeShapes: prefill scores (B, H, P, P), step query/scores/output, cached keys (B, H_kv, P + 1, d_h)', tests: ['a.shapes.gqa', 'a.shapes.random'] },
  { id: 'prefill.table', text: 'prefill row of the table: FLOPs 4BHT²d_hL, bytes read BLTd_h(H + 2H_kv)b, written BLTHd_hb', tests: [...COST('prefill', '7b'), ...COST('prefill', 'random')] },
  { id: 'cost.minimal-traffic', text: 'the minimal-traffic kernel: Q, K, V read once, O written once, no T × T scores in slow memory (a lower bound, not FlashAttention\'s Θ(T²d_h²/M))', tests: ['b.prefill-cost.bytesRead.7b', 'b.prefill-cost.bytesWritten.7b', 'b.prefill-cost.bytesRead.random'] },
  { id: 'prefill.cache-written', text: 'prefill writes 2BLTH_kv d_h b more when the cache is written, not otherwise', tests: ['b.prefill-cost.bytesWritten.7b', 'b.prefill-cost.bytesWritten.gqa-no-cache'] },
  { id: 'decode.cache-on', text: 'decode step with a cache: FLOPs 4BHTd_hL, reads the whole cache, writes o, k, v', tests: [...COST('decode', '7b'), ...COST('decode', 'batch-32')] },
  { id: 'decode.cache-off', text: 'decode step without a cache: a prefill of T tokens that writes no cache', tests: COST('decode', '7b-no-cache') },
  { id: 'cost.gqa', text: 'keys and values counted with H_kv heads (GQA)', tests: [...COST('decode', '7b-gqa'), ...COST('prefill', 'gqa-no-cache')] },
  { id: 'cost.intensity', text: 'I = FLOPs / (bytes read + bytes written)', tests: ['b.prefill-cost.arithmeticIntensity.7b', 'b.decode-cost.arithmeticIntensity.random'] },
  { id: 'step.output', text: 'decodeStep output equals row t of full causal attention (sees every cached key and itself)', tests: ['b.step.second-token', 'b.step.long', 'b.step.random'] },
  { id: 'step.example', text: "the statement's example: scores (0, 1/√2)", tests: ['b.step.second-token'] },
  { id: 'step.empty-cache', text: 'an empty cache: the token sees only itself', tests: ['b.step.empty-cache', 'b.step-cache.empty-cache'] },
  { id: 'step.large-scores', text: 'scores above 1000: subtract the maximum before exp', tests: ['b.step.large-scores', 'b.generate.large-scores'] },
  { id: 'step.returned-cache', text: 'the returned cache: old rows, then kNew and vNew, row t for position t', tests: ['b.step-cache.second-token', 'b.step-cache.long', 'b.step-cache.random'] },
  { id: 'step.cache-unchanged', text: 'decodeStep leaves the cache it was given (and q, kNew, vNew) unchanged', tests: ['b.step.long', 'b.step-cache.long'] },
  { id: 'generate.rows', text: 'generateWithCache returns rows P … T − 1 of full causal attention', tests: ['b.generate.long', 'b.generate.random'] },
  { id: 'generate.no-prompt', text: 'P = 0: decode every token from an empty cache', tests: ['b.generate.no-prompt'] },
  { id: 'generate.no-state', text: 'called again with the same sizes and other numbers (no answer cached by size)', tests: ['b.generate.long-again', 'b.generate.random', 'b.step.random', 'b.step-cache.random'] },
  { id: 'generate.inputs-unchanged', text: 'generateWithCache leaves Q, K and V unchanged', tests: ['b.generate.long'] },
];
