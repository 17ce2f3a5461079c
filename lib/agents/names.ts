/**
 * The backend names of the agents aimax drives, without their profiles:
 * for what must start fast and only names them (the CLI's help and shell
 * completion). The registry (`lib/registry.ts`) builds its own list from
 * the profiles; a test holds the two equal.
 *
 * @module
 */

/** One agent's names, as its profile gives them. */
export interface AgentNames {
  /** The backend name (the profile's `name`). */
  backend: string;
  /** The human name (the profile's `label`). */
  label: string;
  /** The short name (the profile's `shortName`). */
  short: string;
}

/**
 * Every agent's names, one line per agent, in the order aimax lists them
 * (the order of `AGENT_PROFILES` and of the registry's
 * `SUPPORTED_BACKENDS`; a test holds them equal).
 *
 * @example
 * ```ts
 * import { AGENT_NAMES } from "./names.ts";
 * console.log(AGENT_NAMES.map((a) => a.short).join("|"));
 * ```
 */
export const AGENT_NAMES: readonly AgentNames[] = Object.freeze([
  { backend: "tmux-claude-code", label: "Claude Code", short: "claude" },
  { backend: "tmux-codex", label: "Codex", short: "codex" },
  { backend: "tmux-copilot", label: "GitHub Copilot CLI", short: "copilot" },
  { backend: "tmux-gemini", label: "Gemini CLI", short: "gemini" },
]);

/**
 * Every backend name, in the order of {@linkcode AGENT_NAMES}.
 *
 * @example
 * ```ts
 * import { BACKEND_NAMES } from "./names.ts";
 * console.log(BACKEND_NAMES.join(", "));
 * ```
 */
export const BACKEND_NAMES: readonly string[] = Object.freeze(
  AGENT_NAMES.map((a) => a.backend),
);

/**
 * Every agent's human name (its profile's `label`), in the same order.
 *
 * @example
 * ```ts
 * import { AGENT_LABELS } from "./names.ts";
 * console.log(AGENT_LABELS.join(" and "));
 * ```
 */
export const AGENT_LABELS: readonly string[] = Object.freeze(
  AGENT_NAMES.map((a) => a.label),
);

/**
 * Every agent's short name (its profile's `shortName`), in the same order.
 *
 * @example
 * ```ts
 * import { AGENT_SHORT_NAMES } from "./names.ts";
 * console.log(AGENT_SHORT_NAMES.join("|"));
 * ```
 */
export const AGENT_SHORT_NAMES: readonly string[] = Object.freeze(
  AGENT_NAMES.map((a) => a.short),
);

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
