// Answers of the quick checks in lessons 1–8, computed by the reference engine at build time.
import { attention2d, attentionCost, causalMask, kvCacheBytes, rowEntropy, softmax, tensor } from '../engine';
import { pronoun } from './01-intuition';
import { attentionMlpCrossover } from './06-efficient-attention';

const model7b = { layers: 32, batch: 1, headDim: 128, bytesPerElement: 2 };

/** One numeric check: the question, the engine's answer and the decimals it is checked to. */
export interface NumericCheck {
  id: string;
  question: string;
  answer: number;
  digits: number;
  unit?: string;
  explain: string;
}
/** One multiple-choice check. */
export interface ChoiceCheck {
  id: string;
  question: string;
  options: string[];
  correct: number;
  explain: string;
}

const twoKeys = attention2d([[2, 0]], [[1, 0], [0, 1]], [[1], [0]]).weights[0][0];
const causalZeros = causalMask(5, 5).data.filter((x) => x === 0).length;
const uniform4 = rowEntropy(tensor([4], [0.25, 0.25, 0.25, 0.25])).data[0];
const tau2 = Math.max(...softmax([1 / 2, 2 / 2, 3 / 2]));
const gqaFactor = kvCacheBytes({ ...model7b, seqLen: 1, kvHeads: 32 }) / kvCacheBytes({ ...model7b, seqLen: 1, kvHeads: 4 });
const perToken = kvCacheBytes({ ...model7b, seqLen: 1, kvHeads: 32 });
const decode = attentionCost({ phase: 'decode', batch: 1, heads: 32, kvHeads: 32, seqLen: 4096, headDim: 128, layers: 32, bytesPerElement: 2, cache: true });
const tiled = attentionCost({ phase: 'prefill', batch: 1, heads: 32, kvHeads: 32, seqLen: 4096, headDim: 128, bytesPerElement: 2, cache: false, kernel: { kind: 'tiled', onChipBytes: 192 * 1024, blockQ: 128, blockK: 128 } });
const causal8 = rowEntropy(tensor([8], new Array(8).fill(1 / 8))).data[0];
const passage = kvCacheBytes({ ...model7b, seqLen: 2000, kvHeads: 8 }) / 2 ** 20;

/** The checks of each lesson, by lesson number. */
export const quickChecks: Record<number, (NumericCheck | ChoiceCheck)[]> = {
  1: [
    { id: '01-animal', question: 'In the sentence of 1.1, what weight does "it" put on "animal"? (two decimals)', answer: pronoun.weights[pronoun.top], digits: 2, explain: 'The softmax of the scaled scores puts most of the row on the key that best matches an animate noun.' },
    { id: '01-roles', question: 'Two queries share the same keys and values but get different weight rows. Which tensors must differ?', options: ['the keys', 'the queries', 'the values'], correct: 1, explain: 'Weights depend only on queries and keys; with the keys shared, only the queries can make the rows differ.' },
  ],
  2: [
    { id: '02-two-keys', question: 'One query $q = (2, 0)$, keys $k_0 = (1, 0)$ and $k_1 = (0, 1)$, $d_k = 2$. What is the weight $A_{00}$ on key 0? (three decimals)', answer: twoKeys, digits: 3, explain: 'The scores are $2/\\sqrt{2}$ and $0$; the softmax gives $e^{\\sqrt 2}/(e^{\\sqrt 2} + 1)$.' },
    { id: '02-causal-zeros', question: 'A causal mask over $T = 5$ tokens: how many entries of $A$ are exactly 0?', answer: causalZeros, digits: 0, explain: 'Every pair with $j > i$ is hidden: $T(T-1)/2$ entries.' },
  ],
  3: [
    { id: '03-uniform-entropy', question: 'The entropy (in nats) of a row spread evenly over 4 visible keys? (three decimals)', answer: uniform4, digits: 3, explain: 'A uniform row over $n$ keys has entropy $\\ln n$, the largest possible.' },
    { id: '03-temperature', question: 'Scores $(1, 2, 3)$ at temperature $\\tau = 2$: what is the largest weight? (three decimals)', answer: tau2, digits: 3, explain: 'Divide the scores by $\\tau$ before the softmax; a higher temperature flattens the row.' },
  ],
  4: [
    { id: '04-gqa-factor', question: 'A model with $H = 32$ query heads switches to $H_{kv} = 4$ key/value heads. By what factor does its KV cache shrink?', answer: gqaFactor, digits: 0, explain: 'The cache holds only the key/value heads: it shrinks by $H / H_{kv}$.' },
    { id: '04-split', question: 'Splitting $(B, T, d_{\\text{model}})$ into heads, what must follow the reshape to $(B, T, H, d_h)$?', options: ['a reshape straight to $(B, H, T, d_h)$', 'nothing: attend over the $H$ axis', 'a transpose to $(B, H, T, d_h)$'], correct: 2, explain: 'Only the transpose keeps every row of a head a token; a reshape alone mixes tokens inside a head.' },
  ],
  5: [
    { id: '05-per-token', question: 'The 7B-class model of 5.2 (32 layers, $H_{kv} = 32$, $d_h = 128$, fp16): how many KiB of KV cache does one token take?', answer: perToken / 1024, digits: 0, unit: 'KiB', explain: '$2 \\cdot L \\cdot H_{kv} \\cdot d_h \\cdot b$ bytes per token: keys and values, every layer.' },
    { id: '05-intensity', question: 'Arithmetic intensity (FLOP per byte) of one decode step at $T = 4096$ in that model? (two decimals)', answer: decode.arithmeticIntensity, digits: 2, explain: 'A decode step reads the whole cache to do about one FLOP per byte: it is bound by memory bandwidth.' },
  ],
  6: [
    { id: '06-kv-passes', question: 'A tiled kernel with query tiles of 128 rows runs at $T = 4096$. How many times does it read $K$ and $V$ from main memory?', answer: tiled.kvPasses, digits: 0, explain: 'Once per query tile: $\\lceil T / B_q \\rceil$. That is why its traffic is $\\Theta(T^2 d_h^2/M)$ and not $\\Theta(T d_h)$.' },
    { id: '06-crossover', question: 'With $d_{\\text{model}} = 1024$, at what length $T$ do the attention core\u2019s FLOPs per token reach the MLP\u2019s?', answer: attentionMlpCrossover(1024, 16).T, digits: 0, explain: '$4 T d_{\\text{model}} = 16 d_{\\text{model}}^2$ at $T = 4 d_{\\text{model}}$.' },
  ],
  7: [
    { id: '07-max-entropy', question: 'Query 7 of a causal head sees keys 0–7. What is the largest entropy its row can have? (three decimals)', answer: causal8, digits: 3, explain: 'Eight visible keys: at most $\\ln 8$. Compare entropies with this ceiling, not with $\\ln T$.' },
    { id: '07-tiny-weight', question: 'A causal test finds a largest future weight of $10^{-9}$. The most likely cause?', options: ['the mask applied after the softmax', 'a finite negative number used as the mask', 'a missing $1/\\sqrt{d_k}$'], correct: 1, explain: 'A bias such as $-20$ leaves tiny weights; a mask applied after the softmax gives exact zeros and rows that sum to less than 1.' },
  ],
  8: [
    { id: '08-passage', question: 'A 2,000-token retrieved passage in a model with 32 layers, $H_{kv} = 8$, $d_h = 128$, fp16: how many MiB of KV cache does it add? (one decimal)', answer: passage, digits: 1, unit: 'MiB', explain: '$2 \\cdot 32 \\cdot 2000 \\cdot 8 \\cdot 128 \\cdot 2$ bytes, the formula of 5.2.' },
    { id: '08-tool', question: 'What keeps a tool result from being read by tokens that must not see it?', options: ['delimiter tokens around it', 'an instruction in the system prompt', 'a mask that hides its keys from those queries'], correct: 2, explain: 'Only the mask changes visibility; delimiters and instructions are just more tokens to attend to.' },
  ],
};
