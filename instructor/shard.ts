// Sharded grading for clusters: `--shard i/n` grades a deterministic 1/n of a class. Submissions are split by a
// stable hash of the learner id (compared as the duplicate check compares it), so a learner's files — including
// duplicate exports — always land in the same shard; files that could not be read have no learner id and are
// split by their path instead, so each rejected file is reported by exactly one shard.
import { createHash } from 'node:crypto';

/** One shard of a run: `index` in 0 … count-1. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/n` (0 ≤ i < n); null when the text is not of that form. */
export function parseShard(text: string): Shard | null {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index < count ? { index, count } : null;
}

/** The learner id as the duplicate check compares it (src/workspace/submission.ts newestPerLearner). */
export const shardKeyOfLearner = (learner: string): string => `learner\0${learner.trim().normalize('NFC').toLowerCase()}`;
/** The key of a file that has no readable learner id. */
export const shardKeyOfFile = (path: string): string => `file\0${path}`;

/** The shard (0 … count-1) a key belongs to: the first 32 bits of its SHA-256, modulo count. */
export function shardOf(key: string, count: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % count;
}

/** True when `key` belongs to `shard` (always, without sharding). */
export function inShard(shard: Shard | undefined, key: string): boolean {
  return !shard || shardOf(key, shard.count) === shard.index;
}
