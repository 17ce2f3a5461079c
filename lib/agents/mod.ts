/**
 * Every agent aimax drives. Adding one is a file in this folder that
 * implements {@linkcode AgentProfile} and one line here.
 *
 * @module
 */
import type { AgentProfile } from "./agent.ts";
import { claudeProfile } from "./claude.ts";
import { codexProfile } from "./codex.ts";

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
];
