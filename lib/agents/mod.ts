/**
 * Every agent aimax drives. Adding one is a file in this folder that
 * implements {@linkcode AgentProfile} and one line here.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { AgentProfile } from "./agent.ts";
import { claudeProfile } from "./claude.ts";
import { codexProfile } from "./codex.ts";
import { copilotProfile } from "./copilot.ts";
import { geminiProfile } from "./gemini.ts";

/**
 * The agents, in the order aimax lists them.
 *
 * @example
 * ```ts
 * import { AGENT_PROFILES } from "./mod.ts";
 * console.log(AGENT_PROFILES.map((p) => p.name));
 * ```
 */
export const AGENT_PROFILES: readonly AgentProfile[] = [
  claudeProfile,
  codexProfile,
  copilotProfile,
  geminiProfile,
];

/**
 * Every agent aimax drives, by backend name. It has no prototype: a name
 * such as `toString` or `__proto__` finds nothing here; look names given
 * by a user up with {@linkcode profileOf}.
 */
export const PROFILES: Readonly<Record<string, AgentProfile>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, AgentProfile>,
    Object.fromEntries(
      AGENT_PROFILES.map((profile) => [profile.name, profile]),
    ),
  ),
);

/**
 * The agent profile of backend `name`, looked up among the registry's own
 * names only (never an `Object.prototype` key such as `toString`).
 *
 * @example
 * ```ts
 * import { profileOf } from "./mod.ts";
 * console.log(profileOf("tmux-codex").label);
 * ```
 * @param name a backend name, as a user gave it
 * @throws {InputError} for an unknown name
 */
export function profileOf(name: string): AgentProfile {
  if (typeof name !== "string" || !Object.hasOwn(PROFILES, name)) {
    throw new InputError(
      `unknown backend "${String(name)}"; valid: ${
        Object.keys(PROFILES).join(", ")
      }`,
    );
  }
  return PROFILES[name];
}
