// A per-call time limit for trusted code run in this realm (mutants of our own solutions). vm's `timeout` stops
// any JavaScript running under it, including functions of this realm called from inside, so an endless loop
// becomes a 'timeout' outcome as a sandboxed runner reports it, without a worker or a process restart.
import { createContext, runInContext } from 'node:vm';
import { callOptions, executeCall, type Case, type CallOutcome, type LearnerHost, type LearnerModule } from '../../graders/lib/index';

const context = createContext({ run: null as null | (() => CallOutcome) });

function limited(run: () => CallOutcome, ms: number): CallOutcome {
  context.run = run;
  try {
    return runInContext('run()', context, { timeout: ms }) as CallOutcome;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { kind: 'timeout', ms };
    throw e;
  } finally {
    context.run = null;
  }
}

/** The per-call limit the CLI uses for an exercise (meta.timeLimitMs, else 3 s). */
export const callLimitMs = (timeLimitMs: number | undefined): number => timeLimitMs ?? 3000;

/** Runs `c`'s call of `mod`, stopped after `ms` milliseconds. */
export function timedCall(mod: LearnerModule, c: Case, ms: number): CallOutcome {
  return limited(() => executeCall(mod, c.fn, c.args, callOptions(c)), ms);
}

/**
 * A host in this realm whose calls are stopped after `ms` milliseconds (for `grade` of a mutant). Once a call of a
 * function has been stopped, its later calls are reported stopped without running: a stop cannot be reproduced by a
 * mistake, so no mistake can be named for that function any more, and the diagnoses are those of waiting each time.
 */
export function timedHost(mod: LearnerModule, ms: number): LearnerHost {
  const stopped = new Set<string>();
  return {
    call(fn, args, options) {
      if (stopped.has(fn)) return { kind: 'timeout', ms };
      const outcome = limited(() => executeCall(mod, fn, args, options), ms);
      if (outcome.kind === 'timeout') stopped.add(fn);
      return outcome;
    },
  };
}
