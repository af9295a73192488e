// report.json one learner at a time, so a class of any size never becomes one JavaScript string (V8 caps a string
// at ≈ 512 MB, which ten exercises × ≈ 160 KB per learner reached at ≈ 3,000 learners). The file stays one valid
// JSON object — the /instructor/ page and any JSON tool read it as before — laid out in lines:
//   line 1      {"format":…,"version":1,"provenance":…,"exercises":…,"overview":…,"files":…,"integrity":…,"lms":…,"learners":[
//   one line    per learner (JSON.stringify never writes a raw line feed), each but the last followed by ","
//   last line   ]}
// The reader below walks that layout with bounded memory, validating each learner on its own; a report.json in
// any other layout (one written before this, or re-formatted by hand) is read whole, as before.
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { InstructorReport, LearnerReport, parseReport, REPORT_FORMAT, REPORT_VERSION } from './schema';

/** Everything of a report except its learners: small whatever the class size. */
export type ReportHead = Omit<InstructorReport, 'learners'>;

const LEARNERS_KEY = ',"learners":[';
/** Reports up to this size in another layout are still read whole. */
const WHOLE_FILE_LIMIT = 400 * 1024 * 1024;

/** Writes report.json to an open file descriptor: the head, then each learner as it comes. */
export class ReportJsonWriter {
  private count = 0;
  constructor(private readonly fd: number, head: ReportHead) {
    const text = JSON.stringify(head);
    writeSync(fd, `${text.slice(0, -1)}${LEARNERS_KEY}\n`);
  }
  /** Appends one learner (already validated by whoever built it). */
  add(l: LearnerReport): void {
    // Two writes, not one `,\n${line}`: the concatenation would copy the ≈ 0.5 MB line into a new string first.
    if (this.count++) writeSync(this.fd, ',\n');
    writeSync(this.fd, JSON.stringify(l));
  }
  /** Closes the learners array and the object. */
  end(): void {
    writeSync(this.fd, `${this.count ? '\n' : ''}]}\n`);
  }
}

/** Where one learner's line lies in its file, in bytes (for reading it again in another order). */
export interface LinePlace {
  offset: number;
  length: number;
}

/** Calls `onLine(text, place)` for each line of a file, reading it in 1 MB chunks. */
function eachLine(fd: number, onLine: (text: string, place: LinePlace) => boolean | void): void {
  const chunk = Buffer.allocUnsafe(1 << 20);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineStart = 0;
  let pos = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, pos);
    if (n === 0) break;
    let from = 0;
    for (let nl = chunk.indexOf(10, 0); nl >= 0 && nl < n; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      const line = pending.length ? Buffer.concat([...pending, piece], pendingBytes + piece.length) : piece;
      pending = [];
      pendingBytes = 0;
      const stop = onLine(line.toString('utf8'), { offset: lineStart, length: line.length });
      if (stop === false) return;
      lineStart += line.length + 1;
      from = nl + 1;
    }
    if (from < n) {
      pending.push(Buffer.from(chunk.subarray(from, n)));
      pendingBytes += n - from;
    }
    pos += n;
  }
  if (pendingBytes) onLine(Buffer.concat(pending, pendingBytes).toString('utf8'), { offset: lineStart, length: pendingBytes });
}

/** A problem reading a report file, as one sentence. */
export class ReportReadError extends Error {}

const issueText = (e: { issues: { path: PropertyKey[]; message: string }[] }) => `${e.issues[0].path.map(String).join('.')}: ${e.issues[0].message}`;

/**
 * Reads a report.json learner by learner: returns its validated head and calls `onLearner` with each validated
 * learner and where its line is (null for a report read whole). Throws ReportReadError naming the problem.
 */
export function readReportStream(file: string, onLearner: (l: LearnerReport, place: LinePlace | null) => void): ReportHead {
  const fd = openSync(file, 'r');
  try {
    let head: ReportHead | null = null;
    let first = true;
    let closed = false;
    let n = 0;
    eachLine(fd, (line, place) => {
      if (first) {
        first = false;
        if (!line.endsWith(LEARNERS_KEY)) return false; // another layout: read whole below
        let raw: unknown;
        try {
          raw = JSON.parse(`${line.slice(0, -LEARNERS_KEY.length)}}`);
        } catch {
          throw new ReportReadError('this file is not JSON');
        }
        head = checkHead(raw);
        return;
      }
      if (closed) {
        if (line.trim()) throw new ReportReadError(`unexpected text after the learners (line ${n + 3})`);
        return;
      }
      if (line === ']}') {
        closed = true;
        return;
      }
      const text = line.endsWith(',') ? line.slice(0, -1) : line;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new ReportReadError(`learner ${n} (line ${n + 2}) is not JSON: the file is damaged or truncated`);
      }
      const r = LearnerReport.safeParse(raw);
      if (!r.success) throw new ReportReadError(`the report is damaged: learners.${n}.${issueText(r.error)}`);
      onLearner(r.data, { offset: place.offset, length: text.length === line.length ? place.length : place.length - 1 });
      n++;
    });
    if (head) {
      if (!closed) throw new ReportReadError(`the file ends after ${n} learners without closing the list: it is truncated`);
      return head;
    }
    const size = fstatSync(fd).size;
    if (size > WHOLE_FILE_LIMIT) throw new ReportReadError(`this report (${Math.round(size / 1048576)} MB) is not laid out one learner per line, and is too large to read whole`);
    const text = Buffer.alloc(size);
    readSync(fd, text, 0, size, 0);
    const parsed = parseReport(text.toString('utf8'));
    if (!parsed.ok) throw new ReportReadError(parsed.error);
    const { learners, ...rest } = parsed.value;
    for (const l of learners) onLearner(l, null);
    return rest;
  } finally {
    closeSync(fd);
  }
}

/** Checks the head of a report (format, version, and every field but the learners). */
function checkHead(raw: unknown): ReportHead {
  const f = raw as { format?: unknown; version?: unknown } | null;
  if (!f || f.format !== REPORT_FORMAT) throw new ReportReadError('this JSON file is not an instructor report of this course');
  if (f.version !== REPORT_VERSION) throw new ReportReadError(`this report has version ${String(f.version)}; this tool reads version ${REPORT_VERSION}`);
  const r = InstructorReport.safeParse({ ...(raw as object), learners: [] });
  if (!r.success) throw new ReportReadError(`the report is damaged: ${issueText(r.error)}`);
  const { learners: _none, ...head } = r.data;
  return head;
}

/** Reads the one learner line at `place` of an open report file again (it was validated when first read). */
export function readLearnerAt(fd: number, place: LinePlace): LearnerReport {
  const buf = Buffer.allocUnsafe(place.length);
  readSync(fd, buf, 0, place.length, place.offset);
  return JSON.parse(buf.toString('utf8')) as LearnerReport;
}
