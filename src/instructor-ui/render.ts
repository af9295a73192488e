// Draws the class overview of an instructor report into the page. Built with DOM nodes and textContent only:
// learner names, mistakes and messages are untrusted text and never become markup.
import type { InstructorReport } from '../../instructor/report/schema';

type Child = Node | string;

/** Creates an element with optional class and children (strings become text nodes). */
function el(tag: string, cls: string | null, ...kids: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const k of kids) e.append(typeof k === 'string' ? document.createTextNode(k) : k);
  return e;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function bar(x: number): HTMLElement {
  const outer = el('span', 'amm-bar');
  const inner = el('span', null);
  inner.style.width = `${Math.max(0, Math.min(100, Math.round(x * 100)))}%`;
  outer.append(inner);
  return outer;
}

function table(head: string[], rows: Child[][]): HTMLElement {
  const t = el('table', 'amm-table');
  t.append(el('thead', null, el('tr', null, ...head.map((h) => el('th', null, h)))));
  t.append(el('tbody', null, ...rows.map((r) => el('tr', null, ...r.map((c) => el('td', null, c))))));
  return t;
}

/** Replaces `root`'s content with the report's overview: exercises, parts, distribution, mistakes, learners. */
export function renderOverview(root: HTMLElement, r: InstructorReport): void {
  const o = r.overview;
  const titles = new Map(r.exercises.map((e) => [e.id, e.title]));
  const part = (s: { passRate: number; meanScore: number }) => el('span', null, bar(s.passRate), `${pct(s.passRate)} (mean ${pct(s.meanScore)})`);
  root.replaceChildren(
    el('p', null, `${o.learners} learners graded from ${o.filesRead} files; ${o.filesRejected} rejected. Course ${r.provenance.course.version}, grader ${r.provenance.graderVersion}, seed ${r.provenance.seed.secret ? 'secret' : r.provenance.seed.value}, generated ${r.provenance.generatedAt}.`),
    el('h2', null, 'Exercises'),
    table(
      ['#', 'exercise', 'submitted', 'all parts right', 'mean', '(a) shapes', '(b) numbers', '(c) concept'],
      o.exercises.map((e) => [e.id, titles.get(e.id) ?? '', String(e.submitted), el('span', null, bar(e.passRate), pct(e.passRate)), `${e.meanPoints.toFixed(2)} / ${e.maxPoints}`, part(e.parts.a), part(e.parts.b), part(e.parts.c)]),
    ),
    el('h2', null, 'Score distribution'),
    table(['total score', 'learners', ''], o.distribution.map((b) => [`${b.fromPercent}–${b.toPercent}%`, String(b.count), bar(b.count / Math.max(1, ...o.distribution.map((x) => x.count)))])),
    el('h2', null, 'Misconceptions to re-teach'),
    o.mistakes.length
      ? table(['#', 'mistake', 'learners', 'section', 'what it means'], o.mistakes.slice(0, 30).map((m) => [m.exerciseId, el('code', null, m.mistake), `${m.learners} (${pct(o.learners ? m.learners / o.learners : 0)})`, m.section, m.message]))
      : el('p', null, 'No known mistake was recognised.'),
    el('h2', null, 'Learners'),
    table(['learner', ...r.exercises.map((e) => e.id), 'total', 'problems'], r.learners.map((l) => [
      l.learner,
      ...r.exercises.map((ex) => {
        const e = l.exercises.find((x) => x.exerciseId === ex.id);
        return e?.submitted ? String(e.result.total.points) : '—';
      }),
      `${l.total.points} / ${l.total.maxPoints}`,
      l.issues.map((i) => i.message).join('; '),
    ])),
    ...(r.files.some((f) => f.status === 'rejected')
      ? [el('h2', null, 'Rejected files'), table(['file', 'why'], r.files.filter((f) => f.status === 'rejected').map((f) => [f.file, f.issues.map((i) => i.message).join('; ')]))]
      : []),
  );
}
