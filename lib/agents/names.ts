/**
 * The backend names of the agents aimax drives, without their profiles:
 * for what must start fast and only names them (the CLI's help and shell
 * completion). The registry (`lib/registry.ts`) builds its own list from
 * the profiles; a test holds the two equal.
 *
 * @module
 */

/**
 * Every backend name, in the order aimax lists them (the order of
 * `AGENT_PROFILES` and of the registry's `SUPPORTED_BACKENDS`).
 *
 * @example
 * ```ts
 * import { BACKEND_NAMES } from "./names.ts";
 * console.log(BACKEND_NAMES.join(", ")); // tmux-claude-code, tmux-codex
 * ```
 */
export const BACKEND_NAMES: readonly string[] = Object.freeze([
  "tmux-claude-code",
  "tmux-codex",
  "tmux-gemini",
]);
