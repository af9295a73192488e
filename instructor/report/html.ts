// report.html: one self-contained page (inline CSS, no scripts, no external resources). Everything that came
// from a submission — names, code, answers, console output, messages that quote values — is untrusted and goes
// through `esc`; a Content-Security-Policy that forbids scripts is the second line of defence.
import type { TestResult } from '../../graders/lib/result';
import { displayText } from './display';
import type { ExerciseInfo, InstructorReport, LearnerExercise, LearnerReport } from './schema';

/** Label of everything the learner's browser recorded (shown wherever the history is). */
export const HISTORY_LABEL = "reported by the learner's browser, not proof";

/** The recorded history of one exercise in a few words, or null when there is none (a version-1 file). */
export function historyText(e: LearnerExercise): string | null {
  const h = e.history;
  if (!h) return null;
  const parts = [`${h.runs} run${h.runs === 1 ? '' : 's'}${h.firstRunAt ? ` (first ${h.firstRunAt}, last ${h.lastRunAt})` : ''}`];
  parts.push(h.passedAt ? `(a) and (b) first passed ${h.passedAt}` : 'no Run passed (a) and (b)');
  if (h.hints.length) parts.push(`hints ${h.hints.map((x) => `${x.index + 1} at ${x.at}`).join(', ')}`);
  if (h.solutionRevealedAt) parts.push(`solution shown ${h.solutionRevealedAt}`);
  parts.push(h.choices.length ? `part (c) choices in order: ${h.choices.map((c) => c.choice).join(' → ')}` : 'no part (c) choice recorded');
  return parts.join('; ');
}

/** Escapes text for HTML element content and quoted attribute values; hidden characters are shown (display.ts). */
export function esc(x: unknown): string {
  return displayText(x, true).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const bar = (x: number) => `<span class="bar"><span style="width:${Math.max(0, Math.min(100, Math.round(x * 100)))}%"></span></span>`;
const short = (v: unknown, max = 400) => {
  let s: string;
  try {
    s = JSON.stringify(v);
  } catch {
    s = String(v);
  }
  s ??= 'undefined';
  return s.length > max ? s.slice(0, max) + '…' : s;
};

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}h3{margin:.8rem 0 .3rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:13px}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;width:80px;height:.6rem;background:#eee;margin-right:.4rem;vertical-align:middle}.bar span{display:block;height:100%;background:#3a6ea5}
.pass{color:#17692d}.fail,.error{color:#b00020}.timeout{color:#a05a00}.warn{color:#a05a00}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:30rem;font-size:12px;white-space:pre-wrap;word-break:break-word}
details{margin:.3rem 0}summary{cursor:pointer}.learner{border-top:1px solid #ddd;padding-top:.4rem}
.muted{color:#666}.diag{background:#fff6e0;padding:.1rem .3rem}
@media (prefers-color-scheme:dark){body{background:#161616;color:#e6e6e6}th{background:#2a2a2a}td,th{border-color:#444}pre{background:#222}.diag{background:#3a3020}.bar{background:#333}}
`;

function overviewSection(r: InstructorReport): string {
  const o = r.overview;
  const byId = new Map(r.exercises.map((e) => [e.id, e]));
  const rows = o.exercises
    .map((e) => {
      const ex = byId.get(e.id)!;
      const part = (p: 'a' | 'b' | 'c') => `<td>${bar(e.parts[p].passRate)}${pct(e.parts[p].passRate)} <span class="muted">(mean ${pct(e.parts[p].meanScore)})</span></td>`;
      return `<tr><td>${esc(e.id)}</td><td>${esc(ex.title)}</td><td class="num">${e.submitted}</td><td>${bar(e.passRate)}${pct(e.passRate)}</td><td class="num">${e.meanPoints.toFixed(2)} / ${e.maxPoints}</td>${part('a')}${part('b')}${part('c')}</tr>`;
    })
    .join('\n');
  const maxBin = Math.max(1, ...o.distribution.map((b) => b.count));
  const dist = o.distribution
    .map((b) => `<tr><td>${b.fromPercent}–${b.toPercent}%</td><td class="num">${b.count}</td><td>${bar(b.count / maxBin)}</td></tr>`)
    .join('\n');
  const mistakes = o.mistakes.length
    ? o.mistakes
        .slice(0, 30)
        .map((m) => `<tr><td>${esc(m.exerciseId)}</td><td><code>${esc(m.mistake)}</code></td><td class="num">${m.learners}</td><td>${bar(o.learners ? m.learners / o.learners : 0)}${pct(o.learners ? m.learners / o.learners : 0)}</td><td>${esc(m.section)}</td><td>${esc(m.message)}</td></tr>`)
        .join('\n')
    : '<tr><td colspan="6" class="muted">no known mistake was recognised</td></tr>';
  return `<h2 id="overview">Class overview</h2>
<p>${o.learners} learners graded from ${o.filesRead} files; ${o.filesRejected} file(s) rejected.</p>
<h3>Exercises</h3>
<table><tr><th>#</th><th>exercise</th><th>submitted</th><th>all parts right</th><th>mean points</th><th>(a) shapes</th><th>(b) numbers</th><th>(c) concept</th></tr>
${rows}</table>
<p class="muted">A part counts as passed when every one of its tests passed; the mean is the share of the part's points.</p>
<h3>Score distribution</h3>
<table><tr><th>total score</th><th>learners</th><th></th></tr>${dist}</table>
<h3>Misconceptions to re-teach</h3>
<p class="muted">Known mistakes the grader recognised in learners' answers, most widespread first.</p>
<table><tr><th>#</th><th>mistake</th><th>learners</th><th>share</th><th>section</th><th>what it means</th></tr>${mistakes}</table>`;
}

function filesSection(r: InstructorReport): string {
  const bad = r.files.filter((f) => f.issues.length);
  if (!bad.length) return '';
  const rows = bad
    .map((f) => `<tr><td><code>${esc(f.file)}</code></td><td class="${f.status === 'rejected' ? 'error' : 'warn'}">${esc(f.status)}</td><td>${f.learner === null ? '' : esc(f.learner)}</td><td>${f.issues.map((i) => `<div class="${i.severity === 'error' ? 'error' : 'warn'}">${esc(i.severity)}: ${esc(i.message)}</div>`).join('')}</td></tr>`)
    .join('\n');
  return `<h2 id="files">Files with problems</h2><table><tr><th>file</th><th>status</th><th>learner</th><th>problems</th></tr>${rows}</table>`;
}

function lmsSection(r: InstructorReport): string {
  const l = r.lms;
  if (!l?.rosterFile) return '';
  const who = (e: (typeof l.roster)[number]) => [e.name, e.email, e.sisUserId, e.learner].filter(Boolean).map(esc).join(' · ');
  const list = (items: string[], none: string) => (items.length ? `<ul>${items.map((x) => `<li>${x}</li>`).join('')}</ul>` : `<p class="muted">${none}</p>`);
  return `<h2 id="lms">Roster and gradebook files</h2>
<p>Roster <code>${esc(l.rosterFile)}</code>: ${l.roster.length} people; canvas.csv and moodle.csv list every roster entry (no cells for those without a submission, so the LMS keeps their grade).</p>
<h3>Graded but not in the roster (${l.notInRoster.length}) — not in canvas.csv / moodle.csv</h3>${list(l.notInRoster.map(esc), 'none')}
<h3>In the roster but no submission (${l.noSubmission.length})</h3>${list(l.noSubmission.map((i) => who(l.roster[i])), 'none')}`;
}

function testRow(t: TestResult): string {
  const detail: string[] = [];
  if (t.message) detail.push(esc(t.message));
  if (t.diagnosis) detail.push(`<div class="diag">${esc(t.diagnosis.message)}</div>`);
  if (t.status === 'fail' && t.expected !== null) detail.push(`<div class="muted">expected ${esc(short(t.expected))}<br>actual ${esc(short(t.actual))}</div>`);
  return `<tr><td class="${esc(t.status)}">${esc(t.status)}</td><td>${esc(t.part)}</td><td>${esc(t.title)}${t.seed !== null ? ` <span class="muted">[seed ${t.seed}]</span>` : ''}</td><td>${detail.join('')}</td></tr>`;
}

function exerciseBlock(ex: ExerciseInfo, e: LearnerExercise | undefined): string {
  if (!e || !e.submitted) return `<h3>${esc(ex.id)} ${esc(ex.title)} — <span class="muted">not submitted</span></h3>`;
  const r = e.result;
  const parts = (['a', 'b', 'c'] as const).map((p) => `(${p}) ${r.parts[p].points}/${r.parts[p].maxPoints}`).join(' · ');
  const failing = r.tests.filter((t) => t.status !== 'pass');
  const passing = r.tests.length - failing.length;
  const tests = failing.length
    ? `<table><tr><th>status</th><th>part</th><th>test</th><th>details</th></tr>${failing.map(testRow).join('')}</table>`
    : '';
  const diag = r.diagnoses.length ? `<p>Recognised: ${r.diagnoses.map((d) => `<code>${esc(d.mistake)}</code> (${d.count}×, see ${esc(d.section)})`).join(', ')}</p>` : '';
  const logs = e.logs.length ? `<details><summary>console output (${e.logs.length} lines)</summary><pre>${esc(e.logs.join('\n'))}</pre></details>` : '';
  return `<h3>${esc(ex.id)} ${esc(ex.title)} — ${r.total.points}/${r.total.maxPoints} <span class="muted">${parts}</span></h3>
${e.loadError ? `<p class="error">The file could not be loaded: ${esc(e.loadError)}</p>` : ''}
<p>${passing} of ${r.tests.length} tests pass.</p>${diag}${tests}
<p>Concept answer scored: ${r.answers.c === null ? '<span class="muted">none</span>' : `<code>${esc(r.answers.c)}</code>`}</p>
<p>History (${HISTORY_LABEL}): ${historyText(e) === null ? '<span class="muted">none — a version-1 file carries no history</span>' : esc(historyText(e))}</p>${e.manualPoints !== undefined ? `<p>Free-text points given by hand: ${e.manualPoints}</p>` : ''}
<p>Free text: ${r.answers.freeText ? `</p><pre>${esc(r.answers.freeText)}</pre>` : '<span class="muted">none</span></p>'}
<details><summary>code</summary><pre><code>${esc(e.code ?? '')}</code></pre></details>${logs}`;
}

/** Learners per page of report.html: a larger class gets its learner sections on pages of this many (learners/page-N.html). */
export const LEARNERS_PER_PAGE = 250;

/** The learner pages' file name of page p (0-based), relative to the report folder. */
export const pageFile = (p: number): string => `learners/page-${String(p + 1).padStart(4, '0')}.html`;

/** Where learner i's section is, as a link from report.html (`paged`: the class has learner pages). */
const learnerHref = (i: number, paged: boolean) => (paged ? `${pageFile(Math.floor(i / LEARNERS_PER_PAGE))}#learner-${i}` : `#learner-${i}`);

function integritySection(r: InstructorReport, paged: boolean): string {
  const index = new Map(r.learners.map((l, i) => [l.file, i]));
  const who = (name: string, file: string) => (index.has(file) ? `<a href="${learnerHref(index.get(file)!, paged)}">${esc(name)}</a>` : `${esc(name)} <span class="muted">(${esc(file)}, not graded)</span>`);
  const rows = r.integrity
    .map((f) => `<tr class="finding"><td><code>${esc(f.kind)}</code></td><td>${f.learners.map((n, i) => who(n, f.files[i] ?? '')).join(', ')}</td><td>${esc(f.exercises.join(', '))}</td><td>${esc(f.sentence)}</td></tr>`)
    .join('\n');
  return `<h2 id="integrity">Integrity findings</h2>
<p class="muted">Facts to look into, not verdicts. Runs, hints, solution views and part (c) choices are ${HISTORY_LABEL}; version-1 files carry none. Part (c) was scored from ${r.provenance.concept === 'last' ? 'the last choice' : r.provenance.concept === 'ignore' ? 'no choice (not scored)' : 'the first recorded choice'}.</p>
${r.integrity.length ? `<table><tr><th>kind</th><th>learners</th><th>exercises</th><th>finding</th></tr>${rows}</table>` : '<p>No finding.</p>'}`;
}

/** What a learner's section needs from the whole report: its exercises and the integrity findings by file. */
export interface SectionContext {
  exercises: ExerciseInfo[];
  findingsByFile: Map<string, InstructorReport['integrity']>;
  /** Link to the integrity table (from a learner page it is on report.html). */
  integrityHref: string;
}

/** The context of learner sections for a report (head: everything but the learners is read). */
export function sectionContext(r: Pick<InstructorReport, 'exercises' | 'integrity'>, paged: boolean): SectionContext {
  const findingsByFile = new Map<string, InstructorReport['integrity']>();
  for (const f of r.integrity) for (const file of new Set(f.files)) findingsByFile.get(file)?.push(f) ?? findingsByFile.set(file, [f]);
  return { exercises: r.exercises, findingsByFile, integrityHref: paged ? '../report.html#integrity' : '#integrity' };
}

function learnerSection(c: SectionContext, l: LearnerReport, i: number): string {
  const issues = l.issues.length ? `<ul>${l.issues.map((x) => `<li class="${x.severity === 'error' ? 'error' : 'warn'}">${esc(x.message)}</li>`).join('')}</ul>` : '';
  const mine = c.findingsByFile.get(l.file) ?? [];
  const findings = mine.length ? `<p><a href="${c.integrityHref}">Integrity findings</a>:</p><ul>${mine.map((f) => `<li><code>${esc(f.kind)}</code> ${esc(f.sentence)}</li>`).join('')}</ul>` : '';
  return `<details class="learner" id="learner-${i}"><summary><strong>${esc(l.learner)}</strong> — ${l.total.points}/${l.total.maxPoints} <span class="muted">(${esc(l.file)})</span></summary>
<p class="muted">exported ${esc(l.exportedAt)}, course version ${esc(l.courseVersion)}</p>${issues}${findings}
${c.exercises.map((ex) => exerciseBlock(ex, l.exercises.find((e) => e.exerciseId === ex.id))).join('\n')}
</details>`;
}

function learnersIndex(r: InstructorReport, paged: boolean): string {
  const head = `<tr><th>learner</th>${r.exercises.map((e) => `<th>${esc(e.id)}</th>`).join('')}<th>total</th></tr>`;
  const rows = r.learners
    .map((l, i) => `<tr><td><a href="${learnerHref(i, paged)}">${esc(l.learner)}</a></td>${r.exercises.map((ex) => {
      const e = l.exercises.find((x) => x.exerciseId === ex.id);
      return `<td class="num">${e?.submitted ? e.result.total.points : '—'}</td>`;
    }).join('')}<td class="num"><strong>${l.total.points}</strong> / ${l.total.maxPoints}</td></tr>`)
    .join('\n');
  const pages = paged ? `<p>${r.learners.length} learners: each learner's code, failing tests and answers are on pages of ${LEARNERS_PER_PAGE} (${Array.from({ length: Math.ceil(r.learners.length / LEARNERS_PER_PAGE) }, (_, p) => `<a href="${pageFile(p)}">${p * LEARNERS_PER_PAGE + 1}–${Math.min(r.learners.length, (p + 1) * LEARNERS_PER_PAGE)}</a>`).join(' · ')}).</p>` : '';
  return `<h2 id="learners">Learners</h2>${pages}<table>${head}${rows}</table>`;
}

/** One learner's section; a failure rendering it becomes an error in its place, never a missing report. */
export function safeLearnerSection(c: SectionContext, l: LearnerReport, i: number, fault?: (l: LearnerReport) => void): string {
  try {
    fault?.(l);
    return learnerSection(c, l, i);
  } catch (e) {
    return `<details class="learner" id="learner-${i}"><summary><strong>${esc(l.learner)}</strong> — <span class="error">this learner's section could not be rendered</span></summary><p class="error">${esc(e instanceof Error ? e.message : String(e))}</p></details>`;
  }
}

/** A page's text before and after its body: learner sections are written between the two, never joined into one string. */
export interface PageParts {
  before: string;
  after: string;
}

const pageAround = (title: string, before: string, after: string): PageParts => ({
  before: `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${CSS}</style></head>
<body>
${before}`,
  after: `${after}
</body></html>
`,
});

/**
 * report.html around the learners' sections, which go between `before` and `after` in order (a small class), or
 * nothing when they are on learner pages (`paged`, learnerPage). `r.learners` may be slim rows (report/slim.ts):
 * only the index reads them.
 */
export function reportPage(r: InstructorReport, paged: boolean): PageParts {
  const p = r.provenance;
  return pageAround(`${esc(p.course.name)} — grading report`, `<h1>${esc(p.course.name)} — grading report</h1>
<p class="muted">Course ${esc(p.course.version)} · grader ${esc(p.graderVersion)} · engine ${esc(p.engineVersion ?? 'unknown')} ·
seed ${p.seed.secret ? 'secret (instructor)' : esc(p.seed.value)} · generated ${esc(p.generatedAt)} · sandbox ${esc(p.sandbox.engine)}, ${p.sandbox.callTimeoutMs} ms per call, ${p.sandbox.memoryMb} MB.
Every submission was re-graded from its code; the browser's own results were not used.</p>
<nav><a href="#overview">Overview</a> · <a href="#integrity">Integrity findings</a> · <a href="#learners">Learners</a>${r.files.some((f) => f.issues.length) ? ' · <a href="#files">Files with problems</a>' : ''}</nav>
${overviewSection(r)}
${integritySection(r, paged)}
${filesSection(r)}
${lmsSection(r)}
${learnersIndex(r, paged)}
`, '');
}

/** Learner page p (0-based) of `pages` around its sections (learners p·LEARNERS_PER_PAGE onwards, joined by line feeds). */
export function learnerPage(head: Pick<InstructorReport, 'provenance'>, p: number, pages: number, learners: number): PageParts {
  const from = p * LEARNERS_PER_PAGE;
  const nav = [
    '<a href="../report.html">report</a>',
    p > 0 ? `<a href="${pageFile(p - 1).slice('learners/'.length)}">previous page</a>` : '',
    p + 1 < pages ? `<a href="${pageFile(p + 1).slice('learners/'.length)}">next page</a>` : '',
  ].filter(Boolean).join(' · ');
  const title = `${esc(head.provenance.course.name)} — learners ${from + 1}–${Math.min(learners, from + LEARNERS_PER_PAGE)} of ${learners}`;
  return pageAround(title, `<h1>${title}</h1>\n<nav>${nav}</nav>\n`, `\n<nav>${nav}</nav>`);
}
