// Draws an instructor report into the page: class overview, then one collapsible section per learner. Built with
// DOM nodes and textContent only: learner names, code, answers, mistakes and messages are untrusted text (they
// come from files) and never become markup. Numbers carry data-* hooks for the browser tests.
import { HISTORY_LABEL, historyText } from '../../instructor/report/html';
import { testStats } from '../../instructor/report/overview';
import { displayText } from '../../instructor/report/display';
import type { InstructorReport, LearnerExercise, LearnerReport } from '../../instructor/report/schema';
import { bar, data, el, learnerLink, pct, pts, table, td } from './dom';
import { learnersTable } from './learners-table';
import { reviewSection, Scores } from './review';

export { pct, pts };

/** A short, bounded text of an expected/actual excerpt (untrusted values; shown as text). */
function excerpt(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function exerciseDetail(e: LearnerExercise, title: string): HTMLElement {
  const r = e.result;
  const box = data(el('section', 'amm-ex'), { exercise: e.exerciseId });
  const part = (p: 'a' | 'b' | 'c') => `(${p}) ${pts(r.parts[p].points)}/${pts(r.parts[p].maxPoints)}`;
  box.append(el('h4', null, `${e.exerciseId} ${title}: `, data(el('span', null, `${pts(r.total.points)} / ${pts(r.total.maxPoints)}`), { exTotal: pts(r.total.points) }), ` — ${part('a')}, ${part('b')}, ${part('c')}`));
  if (!e.submitted) {
    box.append(el('p', null, 'Not submitted.'));
    return box;
  }
  if (e.loadError) box.append(el('p', 'amm-error', `Could not load: ${e.loadError}`));
  const failing = r.tests.filter((t) => t.status !== 'pass');
  if (failing.length) {
    const ul = el('ul', 'amm-tests');
    for (const t of failing.slice(0, 40)) {
      const li = el('li', null, el('strong', null, `(${t.part}) ${t.title}`), ` — ${t.status}: ${t.message}`);
      if (t.diagnosis) li.append(el('div', 'amm-diag', `Diagnosis: ${t.diagnosis.message}`));
      if (t.expected !== null || t.actual !== null) li.append(el('div', 'amm-small', `expected ${excerpt(t.expected)}; got ${excerpt(t.actual)}`));
      ul.append(li);
    }
    if (failing.length > 40) ul.append(el('li', null, `… and ${failing.length - 40} more`));
    box.append(el('p', null, `${failing.length} of ${r.tests.length} tests did not pass:`), ul);
  } else if (r.tests.length) {
    box.append(el('p', null, `All ${r.tests.length} tests passed.`));
  }
  box.append(el('p', null, `Concept answer scored: ${r.answers.c ?? '(none)'}`));
  const h = historyText(e);
  box.append(data(el('p', 'amm-small', `History (${HISTORY_LABEL}): ${h ?? 'none — a version-1 file carries no history'}`), { history: e.exerciseId }));
  if (e.manualPoints !== undefined) box.append(el('p', null, `Free-text points given by hand: ${pts(e.manualPoints)}`));
  if (r.answers.freeText) box.append(el('p', null, 'Free text: ', el('span', 'amm-pre', r.answers.freeText)));
  if (e.code !== null) box.append(el('details', null, el('summary', null, 'Code'), el('pre', 'amm-code', e.code)));
  if (e.logs.length) box.append(el('details', null, el('summary', null, `Console (${e.logs.length} lines)`), el('pre', 'amm-code', e.logs.join('\n'))));
  return box;
}

function learnerDetail(l: LearnerReport, i: number, titles: Map<string, string>, findings: InstructorReport['integrity']): HTMLElement {
  const d = data(el('details', 'amm-learner'), { learnerDetail: String(i) });
  d.id = `amm-learner-${i}`;
  d.append(el('summary', null, el('strong', null, displayText(l.learner)), ` — ${pts(l.total.points)} / ${pts(l.total.maxPoints)}`));
  d.append(el('p', 'amm-small', `File ${displayText(l.file)}, exported ${displayText(l.exportedAt)}, course version ${displayText(l.courseVersion)}.`));
  for (const is of l.issues) d.append(el('p', is.severity === 'error' ? 'amm-error' : 'amm-warn', `${is.severity}: ${is.message}`));
  const mine = findings.filter((f) => f.files.includes(l.file));
  if (mine.length) d.append(el('p', null, 'Integrity findings:'), el('ul', null, ...mine.map((f) => data(el('li', null, el('code', null, f.kind), ` ${f.sentence}`), { learnerFinding: f.kind }))));
  for (const e of l.exercises) d.append(exerciseDetail(e, titles.get(e.exerciseId) ?? ''));
  return d;
}

const KIND_TITLE: Record<string, string> = {
  'identical-code': 'identical code',
  'browser-claims-differ': 'browser claims differ',
  'solution-revealed-before-pass': 'solution shown before passing',
  'hints-used': 'hints used',
  'concept-attempts': 'part (c) attempts',
  'duplicate-learner-id': 'duplicate learner id',
  'course-version-differs': 'course version differs',
};

/** The integrity findings as a table, each learner linked to their section. */
function integritySection(r: InstructorReport): HTMLElement {
  const index = new Map(r.learners.map((l, i) => [l.file, i]));
  const note = el('p', 'amm-small', `Facts to look into, not verdicts. Runs, hints, solution views and part (c) choices are ${HISTORY_LABEL}; version-1 files carry none. Part (c) was scored from ${r.provenance.concept === 'last' ? 'the last choice' : r.provenance.concept === 'ignore' ? 'no choice (not scored)' : 'the first recorded choice'}.`);
  if (!r.integrity.length) return el('div', null, note, data(el('p', null, 'No finding.'), { integrityNone: '' }));
  const kinds = [...new Set(r.integrity.map((f) => f.kind))];
  return el('div', null, note,
    el('p', 'amm-small', kinds.map((k) => `${KIND_TITLE[k] ?? k}: ${r.integrity.filter((f) => f.kind === k).length}`).join(' · ')),
    table('Integrity findings', ['kind', 'learners', 'exercises', 'finding'], r.integrity.map((f) => {
      const who = el('span', null);
      f.learners.forEach((name, i) => {
        if (i) who.append(', ');
        const at = index.get(f.files[i] ?? '');
        who.append(at === undefined ? `${name} (${f.files[i] ?? ''}, not graded)` : learnerLink(name, at));
      });
      return [data(el('td', null, el('code', null, f.kind)), { kind: f.kind }), who, f.exercises.join(', '), f.sentence];
    }), (i) => ({ finding: r.integrity[i].kind })),
  );
}

/** Per exercise: how many learners failed each test and the diagnosis most often named for it. */
function testsSection(r: InstructorReport): HTMLElement {
  const box = el('div', null, el('p', 'amm-small', 'Most-failed tests first, over the learners who submitted the exercise.'));
  for (const ex of r.exercises) {
    const stats = testStats(ex.id, r.learners);
    const failing = stats.filter((s) => s.failed > 0);
    const d = data(el('details', 'amm-tests-stats'), { testStats: ex.id });
    d.append(el('summary', null, `${ex.id} ${ex.title}: ${failing.length} of ${stats.length} tests failed by someone`));
    if (failing.length) {
      d.append(table(`Tests of exercise ${ex.id} by learners who failed them`, ['part', 'test', 'failed', 'most named diagnosis'], failing.map((s) => [
        `(${s.part})`,
        s.title,
        td({ failed: String(s.failed), test: s.id }, `${s.failed} of ${s.submitted}`),
        s.diagnosis ? `${s.diagnosis.mistake} (${s.diagnosis.learners}; see ${s.diagnosis.section})` : '—',
      ]), (i) => ({ testRow: failing[i].id })));
    }
    box.append(d);
  }
  return box;
}

/** Replaces `root`'s content with the report: overview, distribution, mistakes, integrity findings, learners,
 *  per-test statistics, free-text review, rejected files and each learner's detail. */
export function renderOverview(root: HTMLElement, r: InstructorReport, scores: Scores = new Scores(r)): void {
  const o = r.overview;
  const titles = new Map(r.exercises.map((e) => [e.id, e.title]));
  const maxBin = Math.max(1, ...o.distribution.map((x) => x.count));
  const partCell = (p: 'a' | 'b' | 'c', s: { passRate: number; meanScore: number }) =>
    td({ part: p, pass: pct(s.passRate) }, bar(s.passRate), `${pct(s.passRate)} pass (mean ${pct(s.meanScore)})`);
  const summary = data(el('p', null,
    `${o.learners} learners graded from ${o.filesRead} files; ${o.filesRejected} rejected. `,
    `Course ${r.provenance.course.name} ${r.provenance.course.version}, grader ${r.provenance.graderVersion || '?'}, seed ${r.provenance.seed.secret ? 'secret' : r.provenance.seed.value}, generated ${r.provenance.generatedAt} by ${r.provenance.tool}.`,
  ), { summary: '', learners: String(o.learners), filesRead: String(o.filesRead), filesRejected: String(o.filesRejected) });
  root.replaceChildren(
    el('h2', null, 'Class overview'),
    summary,
    el('h3', null, 'Exercises'),
    table('Pass rates per exercise and part',
      ['#', 'exercise', 'submitted', 'all parts right', 'mean points', '(a) shapes', '(b) numbers', '(c) concept'],
      o.exercises.map((e) => [e.id, titles.get(e.id) ?? '', td({ submitted: String(e.submitted) }, String(e.submitted)), td({ pass: pct(e.passRate) }, bar(e.passRate), pct(e.passRate)), td({ mean: pts(e.meanPoints) }, `${pts(e.meanPoints)} / ${pts(e.maxPoints)}`), partCell('a', e.parts.a), partCell('b', e.parts.b), partCell('c', e.parts.c)]),
      (i) => ({ exerciseRow: o.exercises[i].id }),
    ),
    el('h3', null, 'Score distribution'),
    table('Learners by total score', ['total score', 'learners', ''], o.distribution.map((b) => [`${b.fromPercent}–${b.toPercent}%`, td({ count: String(b.count) }, String(b.count)), bar(b.count / maxBin)]), (i) => ({ bin: String(o.distribution[i].fromPercent) })),
    el('h3', null, 'Misconceptions to re-teach'),
    o.mistakes.length
      ? table('Most common diagnosed mistakes', ['#', 'mistake', 'learners', 'section', 'what it means'], o.mistakes.slice(0, 30).map((m) => [m.exerciseId, el('code', null, m.mistake), td({ learners: String(m.learners) }, `${m.learners} (${pct(o.learners ? m.learners / o.learners : 0)})`), m.section, m.message]), (i) => ({ mistake: `${o.mistakes[i].exerciseId}/${o.mistakes[i].mistake}` }))
      : el('p', null, 'No known mistake was recognised.'),
    el('h3', null, 'Integrity findings'),
    integritySection(r),
    el('h3', null, 'Learners'),
    learnersTable(r),
    el('h3', null, 'Tests learners failed'),
    testsSection(r),
    reviewSection(r, scores),
    ...(r.files.some((f) => f.status === 'rejected')
      ? [el('h3', null, 'Rejected files'), table('Files that were not graded', ['file', 'why'], r.files.filter((f) => f.status === 'rejected').map((f) => [displayText(f.file), displayText(f.issues.map((i) => i.message).join('; '))]), (i) => ({ rejected: r.files.filter((f) => f.status === 'rejected')[i].file }))]
      : []),
    el('h3', null, 'Each learner'),
    ...(r.learners.length ? r.learners.map((l, i) => learnerDetail(l, i, titles, r.integrity)) : [el('p', null, 'No learner was graded.')]),
  );
}
