/**
 * Where a session's signal files live in the data dir: the events file the
 * hooks append to, and the settings generated for one run of the agent.
 *
 * @module
 */
import { join } from "../path.ts";

/** A session's signal files. */
export interface SignalFiles {
  /** The events file (JSON lines `{at, event, payload}`). */
  events: string;
  /**
   * What aimax processes observed of the session (JSON lines, see
   * `observations.ts`); followers tail it.
   */
  observed: string;
  /** A file generated for this run (e.g. an agent's merged settings). */
  runFile: (name: string) => string;
}

/**
 * The signal files of one session.
 *
 * @example
 * ```ts
 * import { signalFiles } from "./files.ts";
 * const { events } = signalFiles("/data", { backend: "tmux-agent", sessionId: "s1" });
 * ```
 * @param dataDir the data dir
 * @param options backend name and session id
 */
export function signalFiles(
  dataDir: string,
  options: { backend: string; sessionId: string },
): SignalFiles {
  const base = join(
    dataDir,
    "events",
    `${options.backend}.${options.sessionId}`,
  );
  return {
    events: `${base}.jsonl`,
    observed: `${base}.observed.jsonl`,
    runFile: (name) => `${base}.${name}`,
  };
}
