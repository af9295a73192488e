// Spec tables: every clause of an exercise statement (function, option, documented edge case, value domain) and
// the ids of the tests that exercise it. tests/graders/spec.test.ts fails when a clause has no test or names a
// test that does not exist, so a statement cannot promise what no test checks.

/** One clause of a statement and the tests that exercise it. */
export interface Clause {
  /** Stable id, e.g. "attention.large-logits". */
  id: string;
  /** The clause in the statement's words (shortened), e.g. "softmax must not overflow on logits in the thousands". */
  text: string;
  /** Test ids; a random test group is named without its "-k" suffix ("b.weights.random" covers "b.weights.random-1" …). */
  tests: string[];
}

/** Whether test id `id` is named by `ref` (exactly, or as a member "<ref>-<k>" of a random group). */
export function refersTo(ref: string, id: string): boolean {
  return id === ref || (id.startsWith(`${ref}-`) && /^\d+$/.test(id.slice(ref.length + 1)));
}

/** Problems of a spec table against a grader's test ids: clauses without tests, references to no test, duplicate clause ids. */
export function specProblems(spec: Clause[], testIds: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of spec) {
    if (seen.has(c.id)) problems.push(`clause ${c.id} is listed twice`);
    seen.add(c.id);
    if (c.tests.length === 0) problems.push(`clause ${c.id} ("${c.text}") has no test`);
    for (const ref of c.tests) if (!testIds.some((id) => refersTo(ref, id))) problems.push(`clause ${c.id} names ${ref}, which is not a test`);
  }
  return problems;
}
