// Shows a Run's report: a one-line summary (announced through the aria-live status), a load failure, the
// recognised mistakes, then per part every failing test with its sentence, message, expected/actual tensors
// (mismatches highlighted, worst index marked) and, for attention weights, the learner's map beside the reference
// one; the part's passed tests follow in one closed list.
import type { GradeResult, TestResult } from '../../graders/lib/result';
import type { LogLine } from '../sandbox/host';
import type { RunReport } from './runner';
import { el, type WorkspaceData } from './data';
import { cellText, heatmap, isWeightMatrix, renderValue } from './tensor-view';

const PART_TITLE = { a: 'Part (a) — shapes', b: 'Part (b) — numbers', c: 'Part (c) — concept question' } as const;
const ICON = { pass: '✓', fail: '✗', error: '⚠', timeout: '⏱' } as const;
const WORD = { pass: 'passed', fail: 'failed', error: 'error', timeout: 'stopped' } as const;
/** At most this many failing tests are opened (and drawn) at once, one per function; the rest draw when opened. */
const OPEN_FAILURES = 3;

/** The summary sentence of a result, e.g. "Part (a): 5/5 passed · Part (b): 20/27 passed · … — 7.2 of 10 points". */
export function summarize(r: GradeResult): string {
  const part = (p: 'a' | 'b' | 'c') => {
    const s = r.parts[p];
    if (p === 'c') return `Part (c): ${s.passed === s.total && s.total > 0 ? 'passed' : 'not passed — answer the concept question below'}`;
    return `Part (${p}): ${s.passed} of ${s.total} tests passed`;
  };
  const mistakes = r.diagnoses.length ? ` Recognised mistake: ${r.diagnoses.map((d) => d.mistake).join(', ')}.` : '';
  return `${part('a')} · ${part('b')} · ${part('c')} — ${r.total.points} of ${r.total.maxPoints} points.${mistakes}`;
}

/** Allocation and timing errors read better with a word on memory. */
function explainMessage(m: string): string {
  if (/allocation failed|Invalid array length|Invalid typed array length|out of memory/i.test(m)) return `${m} — your code asked for more memory than the browser allows (a huge or endless array?)`;
  if (/was stopped after \d+ ms/.test(m)) return `${m} (Or an array that keeps growing until memory runs out.)`;
  return m;
}

function sectionLink(data: WorkspaceData, section: string): HTMLElement {
  const href = data.sectionHref[section];
  if (!href) return el('span', undefined, `section ${section}`);
  const a = el('a', undefined, `section ${section}`);
  a.href = href;
  return a;
}

/** Line `n` (from 1) of the learner's file, trimmed; null when there is no such line. */
function sourceLine(code: string | undefined, n: number): string | null {
  const line = code?.split('\n')[n - 1];
  return line === undefined ? null : line.trim().slice(0, 200);
}

/** A collapsed block with the failing call as runnable code and a button that copies it. */
function callBlock(call: string): HTMLElement {
  const det = el('details', 'amm-test__call');
  det.append(el('summary', undefined, 'The failing call as code'));
  const pre = el('pre');
  pre.append(el('code', undefined, call));
  const copy = el('button', 'amm-test__copy', 'Copy as code');
  copy.type = 'button';
  const said = el('span', 'amm-test__copied');
  said.setAttribute('role', 'status');
  copy.addEventListener('click', () => {
    navigator.clipboard
      .writeText(call)
      .then(() => (said.textContent = ' Copied: paste it below your functions and run it, or into a scratch file.'))
      .catch(() => (said.textContent = ' The browser did not allow copying: select the code above and copy it.'));
  });
  det.append(pre, copy, said);
  return det;
}

/** The inputs of a failing case (truncated tensors), collapsed. */
function inputsBlock(inputs: Record<string, unknown>): HTMLElement {
  const det = el('details', 'amm-test__inputs');
  det.append(el('summary', undefined, `Inputs of this case (${Object.keys(inputs).join(', ')})`));
  for (const [name, v] of Object.entries(inputs)) det.append(renderValue(v, name));
  return det;
}

/** Where a failing call first appeared in this report, so each distinct call is offered as code once. */
type SeenCalls = Map<string, { id: string; title: string }>;

/** The body of one test: message, diagnosis, worst index, tensors, heatmaps, case details. */
function testBody(t: TestResult, data: WorkspaceData, code: string | undefined, seen: SeenCalls): DocumentFragment {
  const f = document.createDocumentFragment();
  if (t.message) f.append(el('p', 'amm-test__message', explainMessage(t.message)));
  if (t.line !== undefined) {
    const quoted = sourceLine(code, t.line);
    const p = el('p', 'amm-test__line', `Your code threw at line ${t.line}`);
    if (quoted) p.append(': ', el('code', undefined, quoted));
    f.append(p);
  }
  if (t.diagnosis) {
    const d = el('p', 'amm-test__diagnosis');
    d.dataset.mistake = t.diagnosis.mistake;
    // The grader's sentence may already end in "— see 5.1"; the link replaces that ending.
    const sentence = t.diagnosis.message.replace(/\s*[—–-]\s*see\s+(section\s+)?\d+\.\d+\.?\s*$/i, '');
    d.append(el('strong', undefined, `Recognised mistake “${t.diagnosis.mistake}”: `), `${sentence} — see `, sectionLink(data, t.diagnosis.section), '.');
    f.append(d);
  }
  if (t.worst) {
    const w = el('p', 'amm-test__worst');
    w.textContent = `Worst index [${t.worst.index.join(', ')}]: expected ${cellText(t.worst.expected)}, got ${cellText(t.worst.actual)}${t.worst.diff !== null ? ` (off by ${cellText(t.worst.diff)})` : ''}.`;
    f.append(w);
  }
  if (t.leaks.length) f.append(el('p', 'amm-test__leaks', `Hidden positions that received weight: ${t.leaks.map((i) => `[${i.join(', ')}]`).join(' ')}`));
  if (t.part !== 'c' && (t.expected !== null || t.actual !== null)) {
    const pair = el('div', 'amm-test__pair');
    if (t.actual !== null) pair.append(renderValue(t.actual, 'yours', t.expected ?? undefined, t.worst?.index ?? null, t.leaks));
    if (t.expected !== null) pair.append(renderValue(t.expected, 'expected', t.actual ?? undefined, t.worst?.index ?? null));
    f.append(pair);
    if (isWeightMatrix(t.expected)) {
      const maps = el('div', 'amm-test__maps');
      if (isWeightMatrix(t.actual) || (Array.isArray(t.actual) && Array.isArray(t.actual[0]))) maps.append(heatmap(t.actual as unknown[][], 'your attention map', t.expected));
      maps.append(heatmap(t.expected, 'reference attention map'));
      f.append(maps);
    }
  }
  if (t.inputs) f.append(inputsBlock(t.inputs));
  if (t.call) {
    const first = seen.get(t.call);
    if (first === undefined || first.id === t.id) f.append(callBlock(t.call));
    else f.append(el('p', 'amm-test__same-call', `The failing call is the same as in the test “${first.title}” (its code is shown there).`));
  }
  const facts: string[] = [];
  if (t.shrunk) facts.push(`shrunk to ${t.shrunk.describe}`);
  if (t.seed !== null) facts.push(`seed ${t.seed}`);
  if (t.alloc) facts.push(`peak allocation ${t.alloc.peakWhat}`);
  facts.push(`${t.durationMs.toFixed(1)} ms`);
  f.append(el('p', 'amm-test__facts', facts.join(' · ')));
  return f;
}

let bodySeq = 0;

/**
 * One test: a button that shows and hides its body (drawn when first shown). A button, not a <details>: every
 * <details> brings a style sheet of its own, and a Run can list forty failing tests.
 */
function testItem(t: TestResult, data: WorkspaceData, open: boolean, code: string | undefined, seen: SeenCalls): HTMLLIElement {
  const li = el('li', `amm-test is-${t.status}`);
  li.dataset.test = t.id;
  li.dataset.status = t.status;
  const box = el('div', 'amm-test__box');
  const toggle = el('button', 'amm-test__toggle');
  toggle.type = 'button';
  toggle.append(el('span', 'amm-test__icon', ICON[t.status]), el('span', 'amm-visually-hidden', `${WORD[t.status]}: `), t.title);
  if (t.diagnosis) toggle.append(el('span', 'amm-test__tag', t.diagnosis.mistake));
  const body = el('div', 'amm-test__body');
  body.id = `amm-test-body-${++bodySeq}`;
  toggle.setAttribute('aria-controls', body.id);
  let drawn = false;
  const show = (on: boolean) => {
    toggle.setAttribute('aria-expanded', String(on));
    body.hidden = !on;
    if (on && !drawn) {
      drawn = true;
      body.append(testBody(t, data, code, seen));
    }
  };
  show(open);
  toggle.addEventListener('click', () => show(toggle.getAttribute('aria-expanded') !== 'true'));
  box.append(toggle, body);
  li.append(box);
  return li;
}

/**
 * Renders a report into the workspace; returns the summary sentence (for the aria-live status). A `pending` report
 * is a failing Run's verdict shown while its smallest failing cases and known mistakes are still being found.
 */
export function renderReport(root: HTMLElement, report: RunReport, data: WorkspaceData, options: { pending?: boolean } = {}): string {
  const box = root.querySelector<HTMLElement>('[data-results]')!;
  box.replaceChildren();
  const heading = root.querySelector('.amm-ws__title')?.tagName === 'H3' ? 'h4' : 'h3';
  if (report.loadFailure) {
    const lf = report.loadFailure;
    const where = lf.line ? ` (line ${lf.line}${lf.column ? `, column ${lf.column}` : ''})` : '';
    const p = el('div', 'amm-results__load-error');
    p.append(el('strong', undefined, lf.timeout ? 'Stopped: ' : 'Your file could not be run: '), lf.message + where);
    box.append(p);
    return `Your file could not be run: ${lf.message}${where}`;
  }
  const r = report.result!;
  const summary = summarize(r);
  const head = el('p', `amm-results__summary ${r.allPassed ? 'is-pass' : 'is-fail'}`, summary);
  head.append(el('span', 'amm-results__time', ` (${report.ms.toFixed(0)} ms, seed ${r.seed})`));
  box.append(head);
  if (options.pending) box.append(el('p', 'amm-results__pending', 'Looking for the smallest failing case of each failing test, and for known mistakes that explain it…'));
  if (r.diagnoses.length) {
    const ul = el('ul', 'amm-results__diagnoses');
    for (const d of r.diagnoses) {
      const li = el('li');
      li.dataset.mistake = d.mistake;
      li.append(el('strong', undefined, d.mistake), ` — in ${d.count} ${d.count === 1 ? 'test' : 'tests'}; revisit `, sectionLink(data, d.section));
      ul.append(li);
    }
    box.append(ul);
  }
  // Each distinct failing call is offered as code in the first test (in order) that made it.
  const seen: SeenCalls = new Map();
  for (const t of r.tests) if (t.call && !seen.has(t.call)) seen.set(t.call, { id: t.id, title: t.title });
  // The first failing test of each function opens (and draws its tables); the others draw when opened.
  const openedFns = new Set<string | undefined>();
  let opened = 0;
  for (const part of ['a', 'b', 'c'] as const) {
    const tests = r.tests.filter((t) => t.part === part);
    const s = r.parts[part];
    const sec = el('section', 'amm-results__part');
    sec.dataset.part = part;
    sec.append(el(heading, undefined, `${PART_TITLE[part]}: ${s.passed} of ${s.total} passed (${s.points} of ${s.maxPoints} points)`));
    const failing = tests.filter((t) => t.status !== 'pass');
    if (failing.length) {
      const ul = el('ul', 'amm-results__tests');
      for (const t of failing) {
        // The verdict of a Run still looking for its smallest cases draws no tables: they are redrawn in a moment.
        const open = !options.pending && t.part !== 'c' && !openedFns.has(t.fn) && opened < OPEN_FAILURES;
        if (open) {
          opened++;
          openedFns.add(t.fn);
        }
        ul.append(testItem(t, data, open, report.code, seen));
      }
      sec.append(ul);
    }
    // Passed tests sit in one closed list, drawn when it is first opened: a learner looks for what failed, and
    // forty lines nobody opened would only lengthen the verdict's frame.
    const passed = tests.filter((t) => t.status === 'pass');
    if (passed.length) {
      const det = el('details', 'amm-results__passed');
      const n = passed.length === 1 ? '1 test' : `${passed.length} tests`;
      det.append(el('summary', undefined, failing.length ? `${n} passed` : `All ${n} passed`));
      det.addEventListener(
        'toggle',
        () => {
          const ul = el('ul', 'amm-results__tests');
          for (const t of passed) ul.append(testItem(t, data, false, report.code, seen));
          det.append(ul);
        },
        { once: true },
      );
      sec.append(det);
    }
    box.append(sec);
  }
  return summary;
}

/** Appends one console line of the learner's code. */
export function appendLog(root: HTMLElement, line: LogLine): void {
  const sec = root.querySelector<HTMLElement>('[data-console]')!;
  sec.hidden = false;
  const span = el('span', `amm-log is-${line.level}`, line.text + '\n');
  sec.querySelector('pre')!.append(span);
}

/** Empties the console before a Run. */
export function clearLog(root: HTMLElement): void {
  const sec = root.querySelector<HTMLElement>('[data-console]')!;
  sec.querySelector('pre')!.replaceChildren();
  sec.hidden = true;
}
