// Right: written from the statement alone: one pass builds per-position role and segment index, rules merged per role.

const DEFAULTS: Record<PromptRole, PromptRole[]> = {
  system: ['system'],
  user: ['system', 'user', 'tool', 'assistant'],
  assistant: ['system', 'user', 'tool', 'assistant'],
  tool: ['system', 'tool'],
  pad: [],
};

function expand(segments: PromptSegment[]): { roles: PromptRole[]; segs: number[] } {
  const T = segments.reduce((t, s) => Math.max(t, s.end), 0);
  const roles = new Array<PromptRole>(T);
  const segs = new Array<number>(T);
  for (let n = 0; n < segments.length; n++) {
    for (let t = segments[n].start; t < segments[n].end; t++) {
      roles[t] = segments[n].role;
      segs[t] = n;
    }
  }
  return { roles, segs };
}

function judge(rules: BoundaryRules | undefined) {
  const causal = rules?.causal === undefined ? true : rules.causal;
  const isolate = new Set<PromptRole>(rules?.isolate === undefined ? ['tool'] : rules.isolate);
  const seesOf = (r: PromptRole): PromptRole[] => {
    const o = rules?.sees?.[r];
    return o === undefined ? DEFAULTS[r] : o;
  };
  return (ri: PromptRole, rj: PromptRole, i: number, j: number, si: number, sj: number): LeakReason | null => {
    if (ri === 'pad' || rj === 'pad') return 'pad';
    if (causal && j > i) return 'future';
    if (seesOf(ri).indexOf(rj) < 0) return 'role';
    if (isolate.has(ri) && ri === rj && si !== sj) return 'segment';
    return null;
  };
}

export function maskShapes(B: number, H: number, segments: PromptSegment[]): BoundaryMaskShapes {
  const T = expand(segments).roles.length;
  return { mask: [T, T], batched: [B, 1, T, T], scores: [B, H, T, T] };
}

export function allowedMask(segments: PromptSegment[], rules?: BoundaryRules): Matrix {
  const { roles, segs } = expand(segments);
  const why = judge(rules);
  return roles.map((ri, i) => roles.map((rj, j) => (why(ri, rj, i, j, segs[i], segs[j]) ? 0 : 1)));
}

export function findViolations(mask: VisibilityMask, segments: PromptSegment[], rules?: BoundaryRules): BoundaryViolation[] {
  const { roles, segs } = expand(segments);
  const why = judge(rules);
  const out: BoundaryViolation[] = [];
  roles.forEach((ri, i) => {
    roles.forEach((rj, j) => {
      const shown = typeof mask === 'function' ? !!mask(i, j) : mask[i][j] !== 0;
      const r = shown ? why(ri, rj, i, j, segs[i], segs[j]) : null;
      if (r) out.push([i, j, r]);
    });
  });
  return out;
}
