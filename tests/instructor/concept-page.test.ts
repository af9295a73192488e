// The exercise page checks part (c) immediately without shipping the answer in clear text: it carries a salted
// digest of the right choice (data.ts choiceDigest), and no static "Correct." marks an option. The instructor's
// grade for part (c) comes from the submitted answer, never from this check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { choiceDigest, isCorrectChoice, type WorkspaceData } from '../../src/workspace/data';
import { exerciseFiles } from './corpus';

describe('part (c) on the page', () => {
  it('recognises exactly the right choice from its salted digest, for every exercise', () => {
    for (const e of exerciseFiles()) {
      const meta = JSON.parse(readFileSync(`${e.dir}/meta.json`, 'utf8')) as { id: string; concept: { choices: { id: string }[] } };
      const salt = 'a1b2c3d4e5f60718';
      const data = { id: meta.id, choiceCheck: { salt, digest: choiceDigest(salt, meta.id, e.correctC) } } as WorkspaceData;
      expect(meta.concept.choices.filter((c) => isCorrectChoice(data, c.id)).map((c) => c.id), meta.id).toEqual([e.correctC]);
      // Another salt, another digest: a page's digest says nothing without its own salt.
      expect(choiceDigest('0000000000000000', meta.id, e.correctC)).not.toBe(data.choiceCheck.digest);
    }
  });

  it('Workspace.astro embeds no clear answer: no correctChoice field, no build-time verdict per option', () => {
    const page = readFileSync(new URL('../../src/workspace/Workspace.astro', import.meta.url), 'utf8');
    expect(page).not.toMatch(/correctChoice/);
    expect(page).not.toMatch(/c\.correct\s*\?/);
    expect(page).toMatch(/choiceCheck: \{ salt: choiceSalt, digest: choiceDigest\(/);
  });
});
