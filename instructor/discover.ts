// Finds the submission files named on the command line: files as given, folders searched recursively for
// *.json (hidden entries and the output folder skipped, symlinked folders not followed, so loops are impossible;
// only regular files, and symbolic links to regular files inside the folder, are kept).
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** A path that could not be used, with the reason. */
export interface DiscoveryProblem {
  path: string;
  message: string;
}

/** What kind of non-regular file a stat describes, for the message. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/**
 * Expands files and folders into a sorted, de-duplicated list of regular files. Inside a folder, a symbolic link is
 * followed only to a regular file inside that same folder; anything else (a link leaving the folder, a FIFO, a
 * socket, a device) is refused with a sentence and never opened, so nothing can make discovery block.
 */
export function discover(inputs: string[], skip: string[] = []): { files: string[]; problems: DiscoveryProblem[] } {
  const files = new Set<string>();
  const problems: DiscoveryProblem[] = [];
  const skipAbs = skip.map((s) => resolve(s));
  const refuse = (path: string, message: string) => problems.push({ path, message });
  const walk = (dir: string, root: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      refuse(dir, `cannot read the folder: ${(e as Error).message}`);
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (skipAbs.includes(resolve(p))) continue;
      let st: Stats;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        walk(p, root);
        continue;
      }
      if (!name.toLowerCase().endsWith('.json')) continue;
      if (st.isFile()) files.add(p);
      else if (st.isSymbolicLink()) {
        let target: string;
        let tst: Stats;
        try {
          target = realpathSync(p);
          tst = statSync(target);
        } catch {
          refuse(p, 'a symbolic link whose target does not exist; it was not read');
          continue;
        }
        const rel = relative(root, target);
        if (rel.startsWith('..') || isAbsolute(rel)) refuse(p, `a symbolic link to ${target}, outside the class folder; it was not read`);
        else if (!tst.isFile()) refuse(p, `a symbolic link to ${kindOf(tst)}, not to a submission file; it was not read`);
        else files.add(p);
      } else refuse(p, `${kindOf(st)}, not a submission file; it was not read`);
    }
  };
  for (const input of inputs) {
    let st: Stats;
    try {
      st = statSync(input);
    } catch {
      refuse(input, 'no such file or folder');
      continue;
    }
    if (st.isDirectory()) walk(input, realpathSync(input));
    else if (st.isFile()) files.add(input);
    else refuse(input, `${kindOf(st)}, not a submission file; it was not read`);
  }
  return { files: [...files].sort(), problems };
}
