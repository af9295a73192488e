// Wrong: the key loop stops one column early (j < T − 1), so the last key is never checked.

const DEFAULT_SEES: Record<PromptRole, PromptRole[]> = {
  system: ['system'],
  user: ['system', 'user', 'tool', 'assistant'],
  tool: ['system', 'tool'],
  assistant: ['system', 'user', 'tool', 'assistant'],
  pad: [],
};

/** The role and the segment number of every position. */
function positions(segments: PromptSegment[]): { role: PromptRole[]; segment: number[] } {
  const role: PromptRole[] = [];
  const segment: number[] = [];
  segments.forEach((s, n) => {
    for (let t = s.start; t < s.end; t++) {
      role.push(s.role);
      segment.push(n);
    }
  });
  return { role, segment };
}

/** Why query i may not see key j, or null when it may. */
function reason(i: number, j: number, role: PromptRole[], segment: number[], rules: BoundaryRules = {}): LeakReason | null {
  const causal = rules.causal ?? true;
  const sees = { ...DEFAULT_SEES, ...rules.sees };
  const isolate = rules.isolate ?? ['tool'];
  if (role[i] === 'pad' || role[j] === 'pad') return 'pad';
  if (causal && j > i) return 'future';
  if (!(sees[role[i]] ?? []).includes(role[j])) return 'role';
  if (role[i] === role[j] && isolate.includes(role[i]) && segment[i] !== segment[j]) return 'segment';
  return null;
}

/** Part (a): shapes of the mask of this layout, of the masks of a batch of B such layouts, and of the scores. */
export function maskShapes(B: number, H: number, segments: PromptSegment[]): BoundaryMaskShapes {
  const T = segments[segments.length - 1].end;
  return { mask: [T, T], batched: [B, 1, T, T], scores: [B, H, T, T] };
}

/** Part (b): the T×T keep-mask (1 visible, 0 hidden) that the rules allow for this layout. */
export function allowedMask(segments: PromptSegment[], rules?: BoundaryRules): Matrix {
  const { role, segment } = positions(segments);
  const M: Matrix = [];
  for (let i = 0; i < role.length; i++) {
    const row: number[] = [];
    for (let j = 0; j < role.length; j++) row.push(reason(i, j, role, segment, rules) === null ? 1 : 0);
    M.push(row);
  }
  return M;
}

/** Part (b): every (query, key) pair the mask shows but the rules forbid, sorted by query, then key. */
export function findViolations(mask: VisibilityMask, segments: PromptSegment[], rules?: BoundaryRules): BoundaryViolation[] {
  const { role, segment } = positions(segments);
  const visible = (i: number, j: number) => (typeof mask === 'function' ? Boolean(mask(i, j)) : mask[i][j] !== 0);
  const violations: BoundaryViolation[] = [];
  for (let i = 0; i < role.length; i++) {
    for (let j = 0; j < role.length - 1; j++) {
      if (!visible(i, j)) continue;
      const why = reason(i, j, role, segment, rules);
      if (why !== null) violations.push([i, j, why]);
    }
  }
  return violations;
}
