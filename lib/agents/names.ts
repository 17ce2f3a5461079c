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
 * console.log(BACKEND_NAMES.join(", "));
 * ```
 */
export const BACKEND_NAMES: readonly string[] = Object.freeze([
  "tmux-claude-code",
  "tmux-codex",
  "tmux-copilot",
  "tmux-gemini",
]);

/**
 * Every agent's human name (its profile's `label`), in the same order.
 *
 * @example
 * ```ts
 * import { AGENT_LABELS } from "./names.ts";
 * console.log(AGENT_LABELS.join(" and "));
 * ```
 */
export const AGENT_LABELS: readonly string[] = Object.freeze([
  "Claude Code",
  "Codex",
  "GitHub Copilot CLI",
  "Gemini CLI",
]);

/**
 * Every agent's short name (its profile's `shortName`), in the same order.
 *
 * @example
 * ```ts
 * import { AGENT_SHORT_NAMES } from "./names.ts";
 * console.log(AGENT_SHORT_NAMES.join("|"));
 * ```
 */
export const AGENT_SHORT_NAMES: readonly string[] = Object.freeze([
  "claude",
  "codex",
  "copilot",
  "gemini",
]);

/**
 * Names in a list for a sentence: `a`, `a and b`, `a, b and c`.
 *
 * @example
 * ```ts
 * import { AGENT_LABELS, listed } from "./names.ts";
 * console.log(`drives ${listed(AGENT_LABELS)}`);
 * ```
 * @param names the names
 */
export function listed(names: readonly string[]): string {
  return names.length < 2
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
