/**
 * Start-up checks: is tmux there, is the agent binary there? Each failure
 * says how to install what is missing. `AIMAX_RUN_PREFLIGHT=0` skips them.
 *
 * @module
 */
import { delimiter, isAbsolute, join } from "./path.ts";
import { PreflightError } from "./errors.ts";

/**
 * Finds an executable on `PATH` (or checks an explicit path).
 *
 * @example
 * ```ts
 * import { findExecutable } from "./preflight.ts";
 * console.log(await findExecutable("sh")); // "/usr/bin/sh" or similar
 * ```
 * @param name program name or path
 * @returns its path, or `undefined`
 */
export async function findExecutable(
  name: string,
): Promise<string | undefined> {
  const candidates = name.includes("/") || isAbsolute(name)
    ? [name]
    : (Deno.env.get("PATH") ?? "").split(delimiter).filter((d) => d !== "")
      .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      const info = await Deno.stat(candidate);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return candidate;
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) throw error;
    }
  }
  return undefined;
}

/**
 * Whether `name` can be found: `"unknown"` when the permissions in force do
 * not allow looking (a scoped `--allow-read`); the start then reports a
 * missing program itself.
 *
 * @param name program name or path
 */
export async function checkExecutable(
  name: string,
): Promise<"found" | "missing" | "unknown"> {
  try {
    return (await findExecutable(name)) ? "found" : "missing";
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) return "unknown";
    throw error;
  }
}

/**
 * Fails with a {@linkcode PreflightError} naming `hint` when `name` is not
 * installed (nothing is checked where the permissions do not allow it).
 *
 * @param name program name or path
 * @param hint how to install it
 */
export async function requireExecutable(
  name: string,
  hint: string,
): Promise<void> {
  if ((await checkExecutable(name)) === "missing") {
    throw new PreflightError(
      `${name} not found on PATH. ${hint} (set AIMAX_RUN_PREFLIGHT=0 to skip this check)`,
    );
  }
}

/** How to install tmux. */
export const TMUX_HINT =
  "Install tmux: `apt-get install tmux` (Debian/Ubuntu) or `brew install tmux` (macOS)";
