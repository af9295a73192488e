// Reads and validates submission files one at a time. Every way a file can be bad (too large, binary, not
// JSON, another format or version, damaged) becomes one sentence for the report and stderr, never an exception.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parseSubmission, type Submission } from '../src/workspace/submission';

/** Largest submission file read (ten exercises of code, answers and the browser's results fit in far less). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** A file that was read and validated, or why not. */
export type Intake = { ok: true; file: string; submission: Submission } | { ok: false; file: string; error: string };

/** True when the bytes look binary: a NUL byte, or text that is not valid UTF-8. */
export function looksBinary(buf: Buffer): boolean {
  if (buf.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return false;
  } catch {
    return true;
  }
}

/** Reads one file; the size is checked on the open handle before anything is read. */
export function readSubmissionFile(file: string, maxBytes = MAX_FILE_BYTES): Intake {
  let fd: number;
  try {
    // Never blocks (a FIFO or device would wait forever for a writer); anything but a regular file is refused below.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, file, error: `cannot open the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  let buf: Buffer;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, file, error: 'this is not a regular file (a pipe, socket or device), so it was not read' };
    const size = st.size;
    if (size > maxBytes) {
      return { ok: false, file, error: `the file is ${(size / 1048576).toFixed(1)} MB; submission files are at most ${maxBytes / 1048576} MB, so it was not read` };
    }
    if (size === 0) return { ok: false, file, error: 'the file is empty' };
    buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    buf = buf.subarray(0, off);
  } catch (e) {
    return { ok: false, file, error: `cannot read the file: ${(e as Error).message}` };
  } finally {
    closeSync(fd);
  }
  if (looksBinary(buf)) return { ok: false, file, error: 'the file is binary, not a JSON submission file' };
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  const r = parseSubmission(text);
  return r.ok ? { ok: true, file, submission: r.value } : { ok: false, file, error: r.error };
}
