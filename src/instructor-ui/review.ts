// Free-text review on the instructor page: every learner's answer to one exercise's question side by side, a
// points box each; the points download as a scores file that `npm run grade -- … --manual scores.csv` merges into
// the reports, and opening that file again (with the report) puts the points back into the boxes.
import { displayText } from '../../instructor/report/display';
import { manualCsv, MAX_MANUAL_POINTS, parseManualCsv, type ManualScore } from '../../instructor/report/manual';
import type { InstructorReport } from '../../instructor/report/schema';
import { data, el, learnerLink } from './dom';

/** The points typed so far, by learner file and exercise; survives switching exercises. */
export class Scores {
  private points = new Map<string, number>();
  private key = (file: string, exercise: string) => `${file}\u0000${exercise}`;

  /** Starts from the manual points a report already holds. */
  constructor(private r: InstructorReport) {
    for (const l of r.learners) for (const e of l.exercises) if (e.manualPoints !== undefined) this.set(l.file, e.exerciseId, e.manualPoints);
  }
  get(file: string, exercise: string): number | undefined {
    return this.points.get(this.key(file, exercise));
  }
  set(file: string, exercise: string, p: number | undefined): void {
    if (p === undefined) this.points.delete(this.key(file, exercise));
    else this.points.set(this.key(file, exercise), p);
  }
  /** Every score, in report order. */
  list(): ManualScore[] {
    return this.r.learners.flatMap((l) => l.exercises.flatMap((e) => {
      const p = this.get(l.file, e.exerciseId);
      return p === undefined ? [] : [{ learner: l.learner, file: l.file, exercise: e.exerciseId, points: p }];
    }));
  }
  /** Takes the scores of a scores file; returns how many were restored, or a sentence saying what is wrong. */
  restore(text: string): { ok: true; count: number } | { ok: false; error: string } {
    const parsed = parseManualCsv(text);
    if (!parsed.ok) return parsed;
    const files = new Set(this.r.learners.map((l) => l.file));
    const unknown = parsed.scores.filter((s) => !files.has(s.file));
    if (unknown.length) return { ok: false, error: `it gives points to ${unknown.length} file${unknown.length > 1 ? 's' : ''} not in this report (first: ${unknown[0].file}); open the report they were given for` };
    for (const s of parsed.scores) this.set(s.file, s.exercise, s.points);
    return { ok: true, count: parsed.scores.length };
  }
}

/** The review section: exercise picker, answers side by side, download of the scores. */
export function reviewSection(r: InstructorReport, scores: Scores): HTMLElement {
  const pick = data(el('select', null) as HTMLSelectElement, { reviewExercise: '' });
  pick.id = 'amm-review-exercise';
  for (const ex of r.exercises) {
    const n = r.learners.filter((l) => l.exercises.some((e) => e.exerciseId === ex.id && e.submitted && e.result.answers.freeText)).length;
    const o = el('option', null, `${ex.id} ${ex.title} (${n} answer${n === 1 ? '' : 's'})`) as HTMLOptionElement;
    o.value = ex.id;
    pick.append(o);
  }
  const label = el('label', null, 'Exercise ');
  label.setAttribute('for', pick.id);
  const grid = data(el('div', 'amm-review'), { reviewGrid: '' });
  const download = data(el('button', null, 'Download scores (CSV)'), { downloadScores: '' });
  (download as HTMLButtonElement).type = 'button';
  const status = data(el('p', 'amm-small', ''), { reviewStatus: '' });
  status.setAttribute('role', 'status');

  const draw = () => {
    grid.replaceChildren();
    const id = pick.value;
    r.learners.forEach((l, i) => {
      const e = l.exercises.find((x) => x.exerciseId === id);
      if (!e?.submitted) return;
      const text = e.result.answers.freeText ?? '';
      const input = data(el('input', null) as HTMLInputElement, { points: '', file: l.file, exercise: id });
      input.type = 'number';
      input.min = '0';
      input.max = String(MAX_MANUAL_POINTS);
      input.step = '0.5';
      input.id = `amm-points-${i}-${id}`;
      const p = scores.get(l.file, id);
      input.value = p === undefined ? '' : String(p);
      input.addEventListener('input', () => {
        const v = input.value.trim();
        const n = Number(v);
        const ok = v === '' || (Number.isFinite(n) && n >= 0 && n <= MAX_MANUAL_POINTS);
        input.setAttribute('aria-invalid', String(!ok));
        if (ok) scores.set(l.file, id, v === '' ? undefined : n);
        status.textContent = ok ? '' : `Points are a number from 0 to ${MAX_MANUAL_POINTS}; ${displayText(l.learner)}'s box was not counted.`;
      });
      const boxLabel = el('label', null, 'Points ');
      boxLabel.setAttribute('for', input.id);
      const card = data(el('article', 'amm-review__card'), { reviewCard: l.file });
      card.append(
        el('h4', null, learnerLink(l.learner, i)),
        text ? el('p', 'amm-pre', text) : el('p', 'amm-small', '(no free-text answer)'),
        el('p', 'amm-small', `Part (c) choice scored: ${e.result.answers.c ?? '(none)'}`),
        el('p', null, boxLabel, input),
      );
      grid.append(card);
    });
    if (!grid.children.length) grid.append(el('p', null, 'No learner submitted this exercise.'));
  };
  pick.addEventListener('change', draw);
  download.addEventListener('click', () => {
    const list = scores.list();
    const blob = new Blob([manualCsv(list)], { type: 'text/csv' });
    const a = el('a', null) as HTMLAnchorElement;
    a.href = URL.createObjectURL(blob);
    a.download = 'scores.csv';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    status.textContent = `Downloaded scores.csv with ${list.length} score${list.length === 1 ? '' : 's'}. Merge it with: npm run grade -- <the same files> --out <dir> --manual scores.csv`;
  });
  draw();
  const section = el('section', null,
    el('h3', null, 'Free-text answers'),
    el('p', 'amm-small', 'All answers to one exercise side by side. Points typed here are kept while you switch exercises; download them as a CSV, and open that file together with this report to continue later.'),
    el('p', null, label, pick),
    grid,
    el('p', null, download),
    status,
  );
  return section;
}
