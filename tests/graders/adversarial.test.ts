// The adversarial corpus: answers written from the statements alone (tests/graders/adversarial/NN/*.ts), first
// line "// Wrong: …" or "// Right: …". Every wrong answer must fail some test of parts (a)/(b) on EACH of 200 seeds;
// every right one must pass every test on each seed. EXERCISE=01 narrows it; GRADER_SEEDS lowers the seed count.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graders } from '../../graders/index';
import { firstFailingTest } from './seeds';
import { loadLearner } from '../../graders/lib/learner-module';

const root = join(__dirname, 'adversarial');
const only = process.env.EXERCISE?.padStart(2, '0');
const SEEDS = Number(process.env.GRADER_SEEDS ?? 200);
const ids = existsSync(root) ? readdirSync(root).filter((d) => /^\d\d$/.test(d) && (!only || d === only)).sort() : [];

describe.each(ids)('exercise %s', (id) => {
  const files = readdirSync(join(root, id)).filter((f) => f.endsWith('.ts')).sort();
  it.each(files)('%s', (file) => {
    const source = readFileSync(join(root, id, file), 'utf8');
    const kind = /^\/\/ (Wrong|Right): .+/.exec(source)?.[1];
    expect(kind, `${file} must start with "// Wrong: …" or "// Right: …"`).toBeDefined();
    const mod = loadLearner(source, file);
    const escaped: number[] = [];
    const failed: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const first = firstFailingTest(graders[id], mod, seed);
      if (kind === 'Wrong' && first === null) escaped.push(seed);
      if (kind === 'Right' && first !== null) failed.push(`seed ${seed} ${first}`);
    }
    expect(escaped, `${file} passes every test on these seeds`).toEqual([]);
    expect(failed).toEqual([]);
  });
});
