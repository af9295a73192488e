// Finds the submission files named on the command line: files as given, folders searched recursively for
// *.json (hidden entries and the output folder skipped, symlinked folders not followed, so loops are impossible).
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A path that could not be used, with the reason. */
export interface DiscoveryProblem {
  path: string;
  message: string;
}

/** Expands files and folders into a sorted, de-duplicated list of files. */
export function discover(inputs: string[], skip: string[] = []): { files: string[]; problems: DiscoveryProblem[] } {
  const files = new Set<string>();
  const problems: DiscoveryProblem[] = [];
  const skipAbs = skip.map((s) => resolve(s));
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      problems.push({ path: dir, message: `cannot read the folder: ${(e as Error).message}` });
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (skipAbs.includes(resolve(p))) continue;
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if ((st.isFile() || st.isSymbolicLink()) && name.toLowerCase().endsWith('.json')) files.add(p);
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch {
      problems.push({ path: input, message: 'no such file or folder' });
      continue;
    }
    if (st.isDirectory()) walk(input);
    else files.add(input);
  }
  return { files: [...files].sort(), problems };
}
