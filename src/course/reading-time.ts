// Time estimate for a lesson, computed from its source so it follows every edit.

/** Words per minute for careful reading of technical prose. */
const WORDS_PER_MINUTE = 150;
/** Minutes for working through one live demo, one practice problem, one display formula. */
const DEMO_MINUTES = 3;
const PRACTICE_MINUTES = 3;
const FORMULA_MINUTES = 0.5;

/**
 * Minutes to study a lesson (exercises not included), rounded up to a multiple of 5: prose words at 150 a minute,
 * plus time for each live demo (components imported from `demos/`), practice problem and display formula.
 */
export function lessonMinutes(mdx: string): number {
  const body = mdx.replace(/^---[\s\S]*?\n---/, '');
  const demoNames = [...body.matchAll(/^import (\w+) from '[^']*\/demos\/[^']*';$/gm)].map((m) => m[1]);
  const count = (re: RegExp) => (body.match(re) ?? []).length;
  const demos = demoNames.reduce((n, name) => n + count(new RegExp(`<${name}[\\s/>]`, 'g')), 0);
  const practice = count(/<PracticeProblem[\s>]/g);
  const formulas = count(/\$\$[\s\S]*?\$\$/g) + count(/<Tex display/g);
  const prose = body
    .replace(/^import .*$/gm, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\{[^{}]*\}/g, ' x ');
  const words = (prose.match(/[A-Za-z][A-Za-z’'-]*/g) ?? []).length;
  const minutes = words / WORDS_PER_MINUTE + demos * DEMO_MINUTES + practice * PRACTICE_MINUTES + formulas * FORMULA_MINUTES;
  return Math.max(5, Math.ceil(minutes / 5) * 5);
}
