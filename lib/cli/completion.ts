/**
 * `aimax completion bash|zsh`: a shell completion script for the commands in
 * the table.
 *
 * @module
 */
import { completionScript } from "./completion_script.ts";
import { BACKEND_NAMES } from "../agents/names.ts";
import { type CommandContext, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";

/**
 * Runs `aimax completion bash|zsh`.
 *
 * @example
 * ```ts ignore
 * import { completion } from "./completion.ts";
 * const code = await completion(ctx);
 * ```
 * @param ctx the parsed command line
 */
export function completion(
  { args, io, commands }: CommandContext,
): Promise<number> {
  const shell = args[0];
  if (shell !== "bash" && shell !== "zsh") {
    throw new UsageError("usage: aimax completion bash|zsh");
  }
  io.out(
    completionScript(shell, { commands, backends: BACKEND_NAMES }),
  );
  return Promise.resolve(EXIT.ok);
}
