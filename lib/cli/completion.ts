/**
 * `aimax completion bash|zsh`: a shell completion script for the commands in
 * the table.
 *
 * @module
 */
import { completionScript } from "../completion.ts";
import { SUPPORTED_BACKENDS } from "../registry.ts";
import { defineCommand, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";

/**
 * `aimax completion bash|zsh`.
 *
 * @example
 * ```ts
 * import { completion } from "./completion.ts";
 * console.log(completion.words); // ["bash", "zsh"]
 * ```
 */
export const completion = defineCommand({
  name: "completion",
  summary: "completion bash|zsh: a shell completion script",
  help: `Usage: aimax completion bash|zsh

Prints a completion script: eval "$(aimax completion bash)" in ~/.bashrc,
or eval "$(aimax completion zsh)" in ~/.zshrc.`,
  options: {},
  words: ["bash", "zsh"],
  run({ args, io, commands }) {
    const shell = args[0];
    if (shell !== "bash" && shell !== "zsh") {
      throw new UsageError("usage: aimax completion bash|zsh");
    }
    io.out(
      completionScript(shell, { commands, backends: SUPPORTED_BACKENDS }),
    );
    return Promise.resolve(EXIT.ok);
  },
});
