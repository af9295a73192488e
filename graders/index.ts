// Registry of exercise graders by id, for runners (CLI, browser worker, batch grading) and tests.
import type { Grader } from './lib/define';
import { grader as g01 } from './01-scaled-dot-product';
import { grader as g02 } from './02-causal-mask';
import { grader as g03 } from './03-attention-entropy';
import { grader as g04 } from './04-multi-head';
import { grader as g05 } from './05-padding-mask';
import { grader as g06 } from './06-kv-cache-bytes';
import { grader as g07 } from './07-alibi';
import { grader as g08 } from './08-prefill-decode';
import { grader as g09 } from './09-tiled-attention';
import { grader as g10 } from './10-prompt-boundary-masks';

/** Every grader, keyed by exercise id ("01" … "10"). */
export const graders: Record<string, Grader> = {
  '01': g01,
  '02': g02,
  '03': g03,
  '04': g04,
  '05': g05,
  '06': g06,
  '07': g07,
  '08': g08,
  '09': g09,
  '10': g10,
};

/** The grader of an exercise id (accepts "1" or "01"), or undefined. */
export function getGrader(id: string): Grader | undefined {
  return graders[id.padStart(2, '0')];
}
