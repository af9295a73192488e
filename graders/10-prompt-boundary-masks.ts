// Grader for exercise 10: the learner's prompt-boundary mask checker is run on correct masks (built with the
// engine's promptBoundaryMask) and on leaky variants of them; it must report exactly the leaks, with their reasons.
import { attention, causalMask, combineMasks, createRng, paddingMask, promptBoundaryMask, reshape, toNested, zeros, type PromptBoundaryRules, type Rng, type Role } from '../src/engine/index';
import rawMeta from '../exercises/10-prompt-boundary-masks/meta.json';
import * as checksFirstRowOnly from '../exercises/10-prompt-boundary-masks/mistakes/checks-first-row-only';
import * as checksOnlyCausal from '../exercises/10-prompt-boundary-masks/mistakes/checks-only-causal';
import * as flagsEverything from '../exercises/10-prompt-boundary-masks/mistakes/flags-everything';
import * as ignoresPadding from '../exercises/10-prompt-boundary-masks/mistakes/ignores-padding';
import * as ignoresSegments from '../exercises/10-prompt-boundary-masks/mistakes/ignores-segments';
import * as offByOneDiagonal from '../exercises/10-prompt-boundary-masks/mistakes/off-by-one-diagonal';
import { dim } from './lib/cases';
import { describeParams, fixed, random, type Case, type Grader, type TestDef } from './lib/define';
import { fnArg } from './lib/host';
import { parseMeta } from './lib/meta';

const meta = parseMeta(rawMeta, 'exercises/10-prompt-boundary-masks');

type Segment = { role: Role; start: number; end: number };
type Rules = PromptBoundaryRules;
type Mask = number[][];

/** Segments from [role, length] pairs. */
function layout(parts: [Role, number][]): Segment[] {
  const out: Segment[] = [];
  let t = 0;
  for (const [role, n] of parts) {
    out.push({ role, start: t, end: t + n });
    t += n;
  }
  return out;
}
const rolesOf = (segs: Segment[]): Role[] => segs.flatMap((s) => Array.from({ length: s.end - s.start }, () => s.role));
const nested = (t: Parameters<typeof toNested>[0]) => toNested(t) as number[][];
const describeLayout = (segs: Segment[]) => segs.map((s) => `${s.role}×${s.end - s.start}`).join(' ');

/** The engine's mask for the layout: what the rules allow. */
const allowedOf = (segs: Segment[], rules?: Rules): Mask => nested(promptBoundaryMask(rolesOf(segs), rules));

/**
 * The violations of `mask`, from the engine's masks: a visible pair that the full rule mask hides, with the first
 * rule that hides it (padding, then causality, then the role table, then segment isolation).
 */
function violationsOf(mask: Mask, segs: Segment[], rules: Rules = {}): [number, number, string][] {
  const roles = rolesOf(segs);
  const T = roles.length;
  const allowed = allowedOf(segs, rules);
  const causal = (rules.causal ?? true) ? nested(causalMask(T, T)) : null;
  const byRole = nested(promptBoundaryMask(roles, { ...rules, causal: false, isolate: [] }));
  const out: [number, number, string][] = [];
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) {
      if (!mask[i][j] || allowed[i][j]) continue;
      const reason = roles[i] === 'pad' || roles[j] === 'pad' ? 'pad' : causal && !causal[i][j] ? 'future' : !byRole[i][j] ? 'role' : 'segment';
      out.push([i, j, reason]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Leaky (and safe) variants of the correct mask.

type Variant = 'correct' | 'stricter' | 'future' | 'pad-future' | 'pad-forgotten' | 'tool-injection' | 'off-by-one' | 'transposed' | 'last-row' | 'last-key' | 'cross-tool';
const VARIANT_WORD: Record<Variant, string> = {
  correct: 'the correct mask',
  stricter: 'a mask stricter than the rules (safe: it only hides more)',
  future: 'a mask with one future key visible',
  'pad-future': 'a mask where a real token sees a later pad token',
  'pad-forgotten': 'a mask built as if the pad tokens belonged to the user (padding mask forgotten)',
  'tool-injection': 'a mask where a tool token sees everything before it',
  'off-by-one': 'an off-by-one causal mask (j ≤ i + 1)',
  transposed: 'the transposed mask',
  'last-row': 'a mask that leaks only in its last row that can leak',
  'last-key': 'a mask where the first real query sees the last key',
  'cross-tool': 'a mask where a tool segment sees an earlier tool segment',
};
const copy = (m: Mask): Mask => m.map((r) => [...r]);
const real = (roles: Role[], i: number) => roles[i] !== 'pad';

function buildVariant(v: Variant, segs: Segment[], rules: Rules | undefined, rng: Rng): Mask {
  const roles = rolesOf(segs);
  const T = roles.length;
  const A = allowedOf(segs, rules);
  const pick = <X>(xs: X[]): X => xs[rng.int(0, xs.length)];
  switch (v) {
    case 'correct':
      return A;
    case 'stricter': {
      const ones: [number, number][] = [];
      A.forEach((r, i) => r.forEach((x, j) => x && ones.push([i, j])));
      const M = A.map((r) => r.map((x) => (x && rng.next() < 0.3 ? 0 : x)));
      if (ones.length) {
        const [i, j] = pick(ones);
        M[i][j] = 0;
      }
      return M;
    }
    case 'future': {
      const pairs: [number, number][] = [];
      for (let i = 1; i < T; i++) for (let j = i + 1; j < T; j++) if (real(roles, i) && real(roles, j)) pairs.push([i, j]);
      const M = copy(A);
      const [i, j] = pick(pairs);
      M[i][j] = 1;
      return M;
    }
    case 'pad-future': {
      const pairs: [number, number][] = [];
      for (let i = 1; i < T; i++) for (let j = i + 1; j < T; j++) if (real(roles, i) && !real(roles, j)) pairs.push([i, j]);
      const M = copy(A);
      const [i, j] = pick(pairs);
      M[i][j] = 1;
      return M;
    }
    case 'pad-forgotten':
      return nested(promptBoundaryMask(roles.map((r) => (r === 'pad' ? 'user' : r)), rules));
    case 'tool-injection': {
      // The first token of the last tool segment that has something before it sees every earlier position.
      const seg = [...segs].reverse().find((s) => s.role === 'tool' && s.start > 0) as Segment;
      const M = copy(A);
      for (let j = 0; j < seg.start; j++) M[seg.start][j] = 1;
      return M;
    }
    case 'cross-tool': {
      const tools = segs.filter((s) => s.role === 'tool');
      const later = tools[tools.length - 1];
      const earlier = pick(tools.slice(0, -1));
      const M = copy(A);
      const i = later.start + rng.int(0, later.end - later.start);
      const j = earlier.start + rng.int(0, earlier.end - earlier.start);
      M[i][j] = 1;
      return M;
    }
    case 'off-by-one':
      return nested(combineMasks(promptBoundaryMask(roles, { ...rules, causal: false }), causalMask(T, T, { past: 1 })));
    case 'transposed':
      return A.map((r, i) => r.map((_, j) => A[j][i]));
    case 'last-key': {
      const i = roles.findIndex((r) => r !== 'pad');
      const M = copy(A);
      if (i >= 0 && i < T - 1) M[i][T - 1] = 1;
      return M;
    }
    case 'last-row': {
      const M = copy(A);
      for (let i = T - 1; i >= 0; i--) {
        if (A[i].some((x) => x === 0)) {
          M[i] = M[i].map(() => 1);
          break;
        }
      }
      return M;
    }
  }
}

/** How the mask reaches the learner: a 0/1 matrix, a matrix of other keep values (any nonzero is visible), a function. */
type MaskForm = 'matrix' | 'weights' | 'function';
const FORM_WORD: Record<MaskForm, string> = { matrix: 'a 0/1 matrix', weights: 'a matrix of keep values other than 1 (any nonzero is visible, 0 and −0 hidden)', function: 'a function' };
/** Nonzero keep values, visible like 1: fractions, negatives, tiny and huge magnitudes next to the 0 threshold. */
const KEEP_VALUES = [0.5, -1, 2, 1e-9, -0.25, 1e300, 1, -1e-300];
const maskArg = (M: Mask, form: MaskForm) =>
  form === 'function'
    ? fnArg(M.map((r) => r.map((x) => x !== 0)))
    : form === 'weights'
      ? M.map((r, i) => r.map((x, j) => (x !== 0 ? KEEP_VALUES[(i * r.length + j) % KEEP_VALUES.length] : (i + j) % 2 ? -0 : 0)))
      : M;

/** The case for variant `v` of a layout, or null when that variant does not leak there (e.g. no adjacent visible pair). */
function violationsCase(v: Variant, segs: Segment[], rules: Rules | undefined, rng: Rng, form: MaskForm): Case | null {
  const M = buildVariant(v, segs, rules, rng);
  const expected = violationsOf(M, segs, rules);
  const safe = v === 'correct' || v === 'stricter';
  if (safe !== (expected.length === 0)) return null;
  return {
    fn: 'findViolations',
    args: rules ? [maskArg(M, form), segs, rules] : [maskArg(M, form), segs],
    expected,
    check: { kind: 'exact', name: 'violations' },
    describe: `layout ${describeLayout(segs)}${rules ? `, rules ${JSON.stringify(rules)}` : ''}, mask given as ${FORM_WORD[form]}`,
    // A function mask is revived from its table inside the sandbox; only plain arguments can be compared after the call.
    readOnly: [form === 'function' ? '' : 'mask', 'segments', 'rules'], argNames: ['mask', 'segments', 'rules'],
  };
}

function allowedCase(segs: Segment[], rules?: Rules): Case {
  const A = allowedOf(segs, rules);
  return {
    fn: 'allowedMask',
    args: rules ? [segs, rules] : [segs],
    expected: A,
    check: { kind: 'tensor', name: 'mask', dims: ['T (queries)', 'T (keys)'] },
    describe: `layout ${describeLayout(segs)}${rules ? `, rules ${JSON.stringify(rules)}` : ''}`,
    readOnly: ['segments', 'rules'], argNames: ['segments', 'rules'],
  };
}

function shapesCase(B: number, H: number, segs: Segment[]): Case {
  const roles = rolesOf(segs);
  const T = roles.length;
  const one = promptBoundaryMask(roles);
  const batched = combineMasks(reshape(one, [1, 1, T, T]), paddingMask(Array.from({ length: B }, () => T), T));
  const scores = attention(zeros([B, H, T, 2]), zeros([B, H, T, 2]), zeros([B, H, T, 2]), { mask: batched }).scores;
  return {
    fn: 'maskShapes',
    args: [B, H, segs],
    expected: { mask: one.shape, batched: batched.shape, scores: scores.shape },
    check: { kind: 'shapes', dims: { mask: ['T', 'T'], batched: ['B', '1', 'T', 'T'], scores: ['B', 'H', 'T', 'T'] } },
    describe: describeParams({ B, H, T }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Layouts.

/** The chat of lesson 8.3: system, user, tool, assistant, tool, assistant, two tokens each. */
const LESSON = layout([['system', 2], ['user', 2], ['tool', 2], ['assistant', 2], ['tool', 2], ['assistant', 2]]);
/** A right-padded batch row. */
const RIGHT_PAD = layout([['system', 2], ['user', 3], ['assistant', 2], ['pad', 3]]);
/** A left-padded row with two tool results. */
const LEFT_PAD = layout([['pad', 2], ['system', 1], ['user', 2], ['tool', 2], ['assistant', 1], ['tool', 1], ['assistant', 2]]);
/** Stricter rules: user turns isolated from each other, and users cannot read tool or assistant text. */
const STRICT_RULES: Rules = { isolate: ['tool', 'user'], sees: { user: ['system', 'user'] } };
const MULTI_TURN = layout([['system', 1], ['user', 2], ['assistant', 2], ['user', 1], ['tool', 2], ['assistant', 1], ['user', 2]]);
/** Another 12-token chat: same length as the lesson's, different roles (an answer cached by length is caught). */
const SAME_LENGTH = layout([['pad', 1], ['system', 3], ['user', 2], ['assistant', 2], ['tool', 1], ['assistant', 3]]);
/** Not causal: every real token sees later tokens its role may see (a bidirectional encoder over the prompt). */
const NON_CAUSAL: Rules = { causal: false };
/** Nothing isolated: an empty list overrides the default ['tool']. */
const ISOLATE_NONE: Rules = { isolate: [] };
/** Rules that list pad among the visible roles: pad must stay hidden whatever the rules say. */
const SEES_PAD: Rules = { sees: { user: ['system', 'user', 'tool', 'assistant', 'pad'], assistant: ['pad', 'user'], pad: ['system', 'user'] } };
/** Tool tokens see only system: a tool pair in another segment breaks the role table first (reason role, not segment). */
const TOOL_SEES_SYSTEM: Rules = { sees: { tool: ['system'] } };

const RULE_SETS: (Rules | undefined)[] = [
  undefined,
  undefined,
  STRICT_RULES,
  { sees: { tool: ['system', 'user', 'tool'] } },
  { isolate: ['tool', 'assistant'] },
  NON_CAUSAL,
  ISOLATE_NONE,
  SEES_PAD,
  TOOL_SEES_SYSTEM,
  { causal: false, isolate: ['tool', 'user'], sees: { system: ['system', 'user'] } },
];

type Need = { pad: 'none' | 'left' | 'right' | 'any'; tools: number };
const NEEDS: Record<Variant, Need> = {
  correct: { pad: 'any', tools: 0 },
  stricter: { pad: 'any', tools: 0 },
  future: { pad: 'any', tools: 0 },
  'pad-future': { pad: 'right', tools: 0 },
  'pad-forgotten': { pad: 'left', tools: 0 },
  'tool-injection': { pad: 'any', tools: 1 },
  'off-by-one': { pad: 'any', tools: 0 },
  transposed: { pad: 'any', tools: 0 },
  'last-row': { pad: 'any', tools: 0 },
  'last-key': { pad: 'any', tools: 0 },
  'cross-tool': { pad: 'any', tools: 2 },
};
const NEXT: Record<Role, Role[]> = { system: ['user'], user: ['assistant', 'tool'], tool: ['assistant'], assistant: ['user', 'tool'], pad: [] };

/** A random chat of `n` non-pad segments of 1 … `len` tokens meeting `need` (pads added on the needed side). */
function randomLayout(rng: Rng, n: number, len: number, need: Need): Segment[] {
  let roles: Role[] = [];
  for (let attempt = 0; attempt < 30; attempt++) {
    roles = [rng.next() < 0.85 ? 'system' : 'user'];
    while (roles.length < n) {
      const options = NEXT[roles[roles.length - 1]];
      const toolBias = need.tools > 0 && options.includes('tool') && rng.next() < 0.5;
      roles.push(toolBias ? 'tool' : options[rng.int(0, options.length)]);
    }
    const tools = roles.filter((r) => r === 'tool').length;
    if (tools >= need.tools) break;
  }
  if (roles.filter((r) => r === 'tool').length < need.tools) roles = ['system', 'user', 'tool', 'assistant', 'tool', 'assistant'].slice(0, Math.max(n, 5)) as Role[];
  const parts: [Role, number][] = roles.map((r) => [r, dim(rng, 1, len)]);
  const side = need.pad === 'any' ? (['none', 'left', 'right'] as const)[rng.int(0, 3)] : need.pad;
  if (side === 'left') parts.unshift(['pad', dim(rng, 1, len)]);
  if (side === 'right') parts.push(['pad', dim(rng, 1, len)]);
  // 'future' needs two real tokens after position 0 in the right order; make the first segment long enough.
  if (parts.reduce((a, p) => a + (p[0] === 'pad' ? 0 : p[1]), 0) < 3) parts[parts.length - (side === 'right' ? 2 : 1)][1] += 2;
  return layout(parts);
}

type LayoutDims = { n: number; len: number };

function tests(seed: number): TestDef[] {
  const out: TestDef[] = [];
  out.push(fixed({ id: 'a.shapes.lesson', part: 'a', title: "mask shapes for the lesson's 12-token chat, B = 4 sequences, H = 8 heads", make: () => shapesCase(4, 8, LESSON) }));
  out.push(...random<LayoutDims & { B: number; H: number }>(seed, {
    id: 'a.shapes.random', part: 'a', count: 3, min: { n: 1, len: 1, B: 1, H: 1 },
    params: (rng) => ({ n: dim(rng, 2, 6), len: dim(rng, 1, 3), B: dim(rng, 2, 5), H: dim(rng, 1, 8) }),
    title: (p) => `mask shapes for a chat of ${p.n} segments, B = ${p.B} sequences, H = ${p.H} heads`,
    make: (p, s) => shapesCase(p.B, p.H, randomLayout(createRng(s), p.n, p.len, { pad: 'any', tools: 0 })),
  }));

  out.push(fixed({ id: 'b.allowed.lesson', part: 'b', title: "the allowed mask of the lesson's chat (system, user, tool, assistant, tool, assistant)", make: () => allowedCase(LESSON) }));
  out.push(fixed({ id: 'b.allowed.lesson-non-causal', part: 'b', title: "the allowed mask of the same chat with causal = false (later keys visible where the roles allow)", make: () => allowedCase(LESSON, NON_CAUSAL) }));
  out.push(fixed({ id: 'b.allowed.same-length', part: 'b', title: 'the allowed mask of another 12-token chat (left pad, a single tool result)', make: () => allowedCase(SAME_LENGTH) }));
  out.push(fixed({ id: 'b.allowed.isolate-none', part: 'b', title: 'the allowed mask of a left-padded chat with isolate = [] (no role isolated: tool results see each other)', make: () => allowedCase(LEFT_PAD, ISOLATE_NONE) }));
  out.push(fixed({ id: 'b.allowed.sees-pad', part: 'b', title: 'the allowed mask of a right-padded chat under rules that list pad as visible (pad stays hidden)', make: () => allowedCase(RIGHT_PAD, SEES_PAD) }));
  out.push(fixed({ id: 'b.allowed.tool-sees-system', part: 'b', title: "the allowed mask of the lesson's chat when tool tokens see only system", make: () => allowedCase(LESSON, TOOL_SEES_SYSTEM) }));
  out.push(fixed({ id: 'b.allowed.left-pad', part: 'b', title: 'the allowed mask of a left-padded chat with two tool results', make: () => allowedCase(LEFT_PAD) }));
  out.push(fixed({ id: 'b.allowed.strict-rules', part: 'b', title: 'the allowed mask of a multi-turn chat under stricter rules (user turns isolated, users see only system and user)', make: () => allowedCase(MULTI_TURN, STRICT_RULES) }));
  out.push(...random<LayoutDims>(seed, {
    id: 'b.allowed.random', part: 'b', count: 3, repeat: [2], min: { n: 1, len: 1 },
    params: (rng) => ({ n: dim(rng, 3, 7), len: dim(rng, 1, 3) }),
    title: (p) => `the allowed mask of a random chat of ${p.n} segments (up to ${p.len} tokens each)`,
    make: (p, s) => {
      const rng = createRng(s);
      return allowedCase(randomLayout(rng, p.n, p.len, { pad: 'any', tools: 1 }), RULE_SETS[rng.int(0, RULE_SETS.length)]);
    },
  }));

  const FIXED: { v: Variant; key: string; segs: Segment[]; rules?: Rules; form?: MaskForm; where: string }[] = [
    { v: 'correct', key: 'lesson', segs: LESSON, where: "the lesson's chat" },
    { v: 'correct', key: 'lesson-function', segs: LESSON, form: 'function', where: "the lesson's chat, given as a function" },
    { v: 'correct', key: 'non-causal', segs: LESSON, rules: NON_CAUSAL, where: "the lesson's chat with causal = false" },
    { v: 'correct', key: 'isolate-none', segs: LESSON, rules: ISOLATE_NONE, where: "the lesson's chat with isolate = []" },
    { v: 'correct', key: 'same-length', segs: SAME_LENGTH, where: 'another 12-token chat' },
    { v: 'transposed', key: 'weights', segs: LESSON, form: 'weights', where: "the lesson's chat, as keep values other than 1" },
    { v: 'last-row', key: 'weights', segs: MULTI_TURN, rules: STRICT_RULES, form: 'weights', where: 'a multi-turn chat under stricter rules, as keep values other than 1' },
    { v: 'cross-tool', key: 'tool-sees-system', segs: LESSON, rules: TOOL_SEES_SYSTEM, where: "the lesson's chat when tool tokens see only system" },
    { v: 'pad-forgotten', key: 'sees-pad', segs: LEFT_PAD, rules: SEES_PAD, where: 'a left-padded chat under rules that list pad as visible' },
    { v: 'off-by-one', key: 'isolate-none', segs: LESSON, rules: ISOLATE_NONE, where: "the lesson's chat with isolate = []" },
    { v: 'last-key', key: 'lesson', segs: LESSON, where: "the lesson's chat" },
    { v: 'stricter', key: 'lesson', segs: LESSON, where: "the lesson's chat" },
    { v: 'future', key: 'lesson', segs: LESSON, where: "the lesson's chat" },
    { v: 'tool-injection', key: 'lesson', segs: LESSON, where: "the lesson's chat" },
    { v: 'cross-tool', key: 'lesson', segs: LESSON, where: "the lesson's chat" },
    { v: 'off-by-one', key: 'lesson', segs: LESSON, where: "the lesson's chat" },
    { v: 'transposed', key: 'lesson', segs: LESSON, where: "the lesson's chat" },
    { v: 'last-row', key: 'lesson', segs: LESSON, form: 'function', where: "the lesson's chat, given as a function" },
    { v: 'correct', key: 'right-pad', segs: RIGHT_PAD, where: 'a right-padded chat' },
    { v: 'pad-future', key: 'right-pad', segs: RIGHT_PAD, where: 'a right-padded chat' },
    { v: 'pad-forgotten', key: 'left-pad', segs: LEFT_PAD, where: 'a left-padded chat' },
    { v: 'tool-injection', key: 'left-pad', segs: LEFT_PAD, where: 'a left-padded chat' },
    { v: 'correct', key: 'strict-rules', segs: MULTI_TURN, rules: STRICT_RULES, where: 'a multi-turn chat under stricter rules' },
    { v: 'last-row', key: 'strict-rules', segs: MULTI_TURN, rules: STRICT_RULES, where: 'a multi-turn chat under stricter rules' },
  ];
  for (const f of FIXED) {
    out.push(fixed({
      id: `b.violations.${f.v}.${f.key}`, part: 'b', title: `violations in ${VARIANT_WORD[f.v]} of ${f.where}`,
      make: () => {
        const c = violationsCase(f.v, f.segs, f.rules, createRng(10), f.form ?? 'matrix');
        if (!c) throw new Error(`variant ${f.v} does not leak in ${describeLayout(f.segs)}`);
        return c;
      },
    }));
  }
  const VARIANTS = Object.keys(NEEDS) as Variant[];
  for (const v of VARIANTS) {
    out.push(...random<LayoutDims>(seed, {
      id: `b.violations.${v}.random`, part: 'b', count: v === 'correct' ? 2 : 1, min: { n: 3, len: 1 },
      params: (rng) => ({ n: dim(rng, 3, 7), len: dim(rng, 1, 3) }),
      title: (p) => `violations in ${VARIANT_WORD[v]} of a random chat of ${p.n} segments`,
      make: (p, s) => {
        const rng = createRng(s);
        // A few layouts may not admit this leak (say, off-by-one where no adjacent pair is allowed): draw again.
        for (let attempt = 0; attempt < 20; attempt++) {
          const segs = randomLayout(rng, p.n, p.len, NEEDS[v]);
          // Custom rules only where the variant's leak does not depend on the default table.
          const rules = v === 'cross-tool' || v === 'tool-injection' ? undefined : RULE_SETS[rng.int(0, RULE_SETS.length)];
          const c = violationsCase(v, segs, rules, rng, (['matrix', 'weights', 'function'] as const)[rng.int(0, 3)]);
          if (c) return c;
        }
        return violationsCase(v, LESSON, undefined, rng, 'matrix') as Case;
      },
    }));
  }
  return out;
}

/** Exercise 10's grader. */
export const grader: Grader = {
  meta,
  tests,
  mistakes: [
    { name: 'checks-only-causal', module: checksOnlyCausal, section: '8.5', message: 'your checker only tests the upper triangle: padding, role and segment leaks lie below the diagonal and go unnoticed' },
    { name: 'checks-first-row-only', module: checksFirstRowOnly, section: '7.2', message: 'your checker stops after query 0 (a return inside the loop?): leaks in later rows are missed' },
    { name: 'flags-everything', module: flagsEverything, section: '8.3', message: 'your checker reports every pair the rules forbid, even when the mask hides it: only pairs the mask shows can leak' },
    { name: 'ignores-padding', module: ignoresPadding, section: '8.5', message: 'your checker skips pad tokens, but a pad that is seen (or sees) is a leak like any other' },
    { name: 'off-by-one-diagonal', module: offByOneDiagonal, section: '5.1', message: 'your causal rule is j < i: a token seeing itself (the diagonal) is allowed, only j > i is the future' },
    { name: 'ignores-segments', module: ignoresSegments, section: '8.3', message: 'your checker forgets segment isolation: a tool token may see only its own tool segment, not earlier tool results' },
  ],
};
