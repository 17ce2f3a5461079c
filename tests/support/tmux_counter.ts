/**
 * tmux wrapped to count its invocations: a script for `AIMAX_TMUX_BIN` that
 * logs each call's arguments, one line per call, then runs tmux.
 *
 * @module
 */
import { join } from "node:path";

/** A counting wrapper. */
export interface TmuxCounter {
  /** The script to set as `AIMAX_TMUX_BIN`. */
  wrapper: string;
  /** Forgets the calls so far. */
  reset(): Promise<void>;
  /** The calls since the last reset, one argument string each. */
  calls(): Promise<string[]>;
}

/**
 * Writes the wrapper and its log into `dir`.
 *
 * @param dir a directory of the caller's
 */
export async function tmuxCounter(dir: string): Promise<TmuxCounter> {
  const log = join(dir, "tmux-calls.log");
  const wrapper = join(dir, "tmux-counted");
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec tmux "$@"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  await Deno.writeTextFile(log, "");
  return {
    wrapper,
    reset: () => Deno.writeTextFile(log, ""),
    calls: async () =>
      (await Deno.readTextFile(log)).split("\n").filter((l) => l !== ""),
  };
}
