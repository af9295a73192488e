// Class statistics from the learners' graded exercises: pass rates per exercise and part, the score
// distribution, and the misconceptions the diagnosis recognised most widely (what to re-teach).
import type { ExerciseInfo, LearnerReport, Overview, PartStat } from './schema';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Builds the overview block of the report. */
export function buildOverview(exercises: ExerciseInfo[], learners: LearnerReport[], files: { read: number; rejected: number }): Overview {
  const perExercise = exercises.map((ex) => {
    const done = learners.map((l) => l.exercises.find((e) => e.exerciseId === ex.id)).filter((e) => e?.submitted).map((e) => e!.result);
    const part = (p: 'a' | 'b' | 'c'): PartStat => {
      const max = ex.points[p];
      const pts = done.map((r) => r.parts[p].points);
      return {
        passRate: r4(done.length ? done.filter((r) => r.parts[p].total > 0 && r.parts[p].passed === r.parts[p].total).length / done.length : 0),
        meanScore: r4(max ? mean(pts) / max : 0),
        meanPoints: r4(mean(pts)),
        maxPoints: max,
      };
    };
    return {
      id: ex.id,
      submitted: done.length,
      passRate: r4(done.length ? done.filter((r) => r.total.points === r.total.maxPoints).length / done.length : 0),
      meanPoints: r4(mean(done.map((r) => r.total.points))),
      maxPoints: ex.maxPoints,
      parts: { a: part('a'), b: part('b'), c: part('c') },
    };
  });

  const bins = Array.from({ length: 10 }, (_, i) => ({ fromPercent: i * 10, toPercent: (i + 1) * 10, count: 0 }));
  for (const l of learners) {
    const pct = l.total.maxPoints ? (100 * l.total.points) / l.total.maxPoints : 0;
    bins[Math.min(9, Math.max(0, Math.floor(pct / 10)))].count++;
  }

  const mistakes = new Map<string, Overview['mistakes'][number]>();
  for (const l of learners) {
    for (const e of l.exercises) {
      for (const d of e.result.diagnoses) {
        const key = `${e.exerciseId}/${d.mistake}`;
        let m = mistakes.get(key);
        if (!m) {
          const t = e.result.tests.find((x) => x.diagnosis?.mistake === d.mistake);
          m = { exerciseId: e.exerciseId, mistake: d.mistake, section: d.section, message: t?.diagnosis?.message ?? d.mistake, learners: 0, tests: 0 };
          mistakes.set(key, m);
        }
        m.learners++;
        m.tests += d.count;
      }
    }
  }
  return {
    learners: learners.length,
    filesRead: files.read,
    filesRejected: files.rejected,
    exercises: perExercise,
    distribution: bins,
    mistakes: [...mistakes.values()].sort((a, b) => b.learners - a.learners || b.tests - a.tests || a.exerciseId.localeCompare(b.exerciseId) || a.mistake.localeCompare(b.mistake)),
  };
}

/** How the class did on one test of one exercise. */
export interface TestStat {
  id: string;
  part: 'a' | 'b' | 'c';
  title: string;
  /** Learners (of those who submitted the exercise) for whom the test did not pass. */
  failed: number;
  submitted: number;
  /** The diagnosis most often named on this test, with how many learners got it, or null. */
  diagnosis: { mistake: string; section: string; learners: number } | null;
}

/**
 * Per-test statistics of one exercise: every test by its stable id (random cases of one test family share an id
 * across learners at one seed), most-failed first. Tests are matched by id, so learners graded together compare.
 */
export function testStats(exerciseId: string, learners: LearnerReport[]): TestStat[] {
  const done = learners.map((l) => l.exercises.find((e) => e.exerciseId === exerciseId)).filter((e) => e?.submitted).map((e) => e!.result);
  const stats = new Map<string, TestStat & { named: Map<string, { section: string; learners: number }> }>();
  for (const r of done) {
    for (const t of r.tests) {
      let s = stats.get(t.id);
      if (!s) stats.set(t.id, (s = { id: t.id, part: t.part, title: t.title, failed: 0, submitted: done.length, diagnosis: null, named: new Map() }));
      if (t.status === 'pass') continue;
      s.failed++;
      if (t.diagnosis) {
        const d = s.named.get(t.diagnosis.mistake) ?? { section: t.diagnosis.section, learners: 0 };
        d.learners++;
        s.named.set(t.diagnosis.mistake, d);
      }
    }
  }
  return [...stats.values()]
    .map(({ named, ...s }) => {
      const top = [...named].sort(([a, x], [b, y]) => y.learners - x.learners || a.localeCompare(b))[0];
      return { ...s, diagnosis: top ? { mistake: top[0], section: top[1].section, learners: top[1].learners } : null };
    })
    .sort((a, b) => b.failed - a.failed || a.id.localeCompare(b.id));
}
