// The build's rendering check catches TeX macros rendered as letters, raw TeX in prose and wrong quotes.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { findRenderingProblems, proseText } from '../../src/course/math-check';

const math = (tex: string) => katex.renderToString(tex, { throwOnError: false, strict: 'ignore' });

describe('rendering check', () => {
  it('flags a macro that lost its backslash in a template string (`\\cdot` written as "\\c" + "dot")', () => {
    const lost = `2 \cdot 40`; // what `\cdot` inside a non-raw template literal becomes
    expect(lost).toBe('2 cdot 40');
    const problems = findRenderingProblems(`<p>bytes ${math(lost)}</p>`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/"cdot" without a backslash/);
  });

  it('passes correct math, words inside \\text and \\operatorname, and matrices', () => {
    const ok = ['2 \\cdot 40 \\cdot 8', 'A = \\operatorname{softmax}(S)', '\\text{sum of the times}', '\\begin{bmatrix}1 & 2\\end{bmatrix}', '\\frac{a}{\\sqrt{d_k}}'];
    for (const tex of ok) expect(findRenderingProblems(`<p>${math(tex)}</p>`)).toEqual([]);
  });

  it('flags raw TeX in prose but not in code or rendered math', () => {
    expect(findRenderingProblems('<p>the score q\\cdot k</p>')[0]).toMatch(/raw TeX/);
    expect(findRenderingProblems('<p>run <code>s = q\\cdot k</code></p>')).toEqual([]);
    expect(proseText(`<p>a ${math('x \\cdot y')} b</p>`).replace(/\s+/g, ' ').trim()).toBe('a b');
  });

  it('flags KaTeX errors and an opening quote used as an apostrophe', () => {
    expect(findRenderingProblems(`<p>${math('\\frac{a}{')}</p>`).join()).toMatch(/KaTeX could not render/);
    expect(findRenderingProblems('<p>key 1‘s value</p>')[0]).toMatch(/opening quote/);
    expect(findRenderingProblems('<p>key 1’s value, ‘quoted’</p>')).toEqual([]);
  });
});
