// Draws an instructor report into the page: class overview, then one collapsible section per learner. Built with
// DOM nodes and textContent only: learner names, code, answers, mistakes and messages are untrusted text (they
// come from files) and never become markup. Numbers carry data-* hooks for the browser tests.
import { displayText } from '../../instructor/report/display';
import type { InstructorReport, LearnerExercise, LearnerReport } from '../../instructor/report/schema';

type Child = Node | string;

/** Creates an element with optional class and children (strings become text nodes). */
function el(tag: string, cls: string | null, ...kids: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const k of kids) e.append(typeof k === 'string' ? document.createTextNode(k) : k);
  return e;
}

/** Sets data-* attributes and returns the element. */
function data<T extends HTMLElement>(e: T, attrs: Record<string, string>): T {
  for (const [k, v] of Object.entries(attrs)) e.dataset[k] = v;
  return e;
}

/** A percentage as shown on the page (whole percent). */
export const pct = (x: number) => `${Math.round(x * 100)}%`;
/** Points as shown on the page (at most two decimals). */
export const pts = (x: number) => String(Math.round(x * 100) / 100);

function bar(x: number): HTMLElement {
  const outer = el('span', 'amm-bar');
  outer.setAttribute('aria-hidden', 'true');
  const inner = el('span', null);
  inner.style.width = `${Math.max(0, Math.min(100, Math.round(x * 100)))}%`;
  outer.append(inner);
  return outer;
}

/** A table in a horizontally scrolling, focusable box (narrow screens), with a caption for screen readers. */
function table(caption: string, head: string[], rows: (Child | HTMLElement)[][], rowAttrs?: (i: number) => Record<string, string>): HTMLElement {
  const t = el('table', 'amm-table');
  t.append(el('caption', 'sr-only', caption));
  t.append(el('thead', null, el('tr', null, ...head.map((h) => { const th = el('th', null, h); th.setAttribute('scope', 'col'); return th; }))));
  t.append(el('tbody', null, ...rows.map((r, i) => {
    const tr = el('tr', null, ...r.map((c) => (c instanceof HTMLElement && (c.tagName === 'TD' || c.tagName === 'TH') ? c : el('td', null, c))));
    return rowAttrs ? data(tr, rowAttrs(i)) : tr;
  })));
  const box = el('div', 'amm-scroll', t);
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', caption);
  return box;
}

const td = (attrs: Record<string, string>, ...kids: Child[]) => data(el('td', null, ...kids), attrs);

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
  box.append(el('p', null, `Concept answer: ${r.answers.c ?? '(none)'}`));
  if (r.answers.freeText) box.append(el('p', null, 'Free text: ', el('span', 'amm-pre', r.answers.freeText)));
  if (e.code !== null) box.append(el('details', null, el('summary', null, 'Code'), el('pre', 'amm-code', e.code)));
  if (e.logs.length) box.append(el('details', null, el('summary', null, `Console (${e.logs.length} lines)`), el('pre', 'amm-code', e.logs.join('\n'))));
  return box;
}

function learnerDetail(l: LearnerReport, i: number, titles: Map<string, string>): HTMLElement {
  const d = data(el('details', 'amm-learner'), { learnerDetail: String(i) });
  d.id = `amm-learner-${i}`;
  d.append(el('summary', null, el('strong', null, displayText(l.learner)), ` — ${pts(l.total.points)} / ${pts(l.total.maxPoints)}`));
  d.append(el('p', 'amm-small', `File ${displayText(l.file)}, exported ${displayText(l.exportedAt)}, course version ${displayText(l.courseVersion)}.`));
  for (const is of l.issues) d.append(el('p', is.severity === 'error' ? 'amm-error' : 'amm-warn', `${is.severity}: ${is.message}`));
  for (const e of l.exercises) d.append(exerciseDetail(e, titles.get(e.exerciseId) ?? ''));
  return d;
}

/** Replaces `root`'s content with the report: overview, distribution, mistakes, learners, rejected files. */
export function renderOverview(root: HTMLElement, r: InstructorReport): void {
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
    el('h3', null, 'Learners'),
    table('Points per learner and exercise', ['learner', ...r.exercises.map((e) => e.id), 'total', 'problems'], r.learners.map((l, i) => {
      const link = el('a', null, displayText(l.learner)) as HTMLAnchorElement;
      link.href = `#amm-learner-${i}`;
      link.addEventListener('click', () => {
        const d = document.getElementById(`amm-learner-${i}`) as HTMLDetailsElement | null;
        if (d) d.open = true;
      });
      return [
        link,
        ...r.exercises.map((ex) => {
          const e = l.exercises.find((x) => x.exerciseId === ex.id);
          return td({ ex: ex.id }, e?.submitted ? pts(e.result.total.points) : '—');
        }),
        td({ total: pts(l.total.points) }, `${pts(l.total.points)} / ${pts(l.total.maxPoints)}`),
        l.issues.map((x) => x.message).join('; '),
      ];
    }), (i) => ({ learnerRow: String(i) })),
    ...(r.files.some((f) => f.status === 'rejected')
      ? [el('h3', null, 'Rejected files'), table('Files that were not graded', ['file', 'why'], r.files.filter((f) => f.status === 'rejected').map((f) => [displayText(f.file), displayText(f.issues.map((i) => i.message).join('; '))]), (i) => ({ rejected: r.files.filter((f) => f.status === 'rejected')[i].file }))]
      : []),
    el('h3', null, 'Each learner'),
    ...(r.learners.length ? r.learners.map((l, i) => learnerDetail(l, i, titles)) : [el('p', null, 'No learner was graded.')]),
  );
}
