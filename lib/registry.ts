/**
 * The backend registry: `get(name)` returns one backend per name, built
 * from the active config on first use.
 *
 * @module
 */
import type { AgentProfile } from "./agents/agent.ts";
import { AGENT_PROFILES } from "./agents/mod.ts";
import { TmuxAgentBackend } from "./backend/mod.ts";
import { getConfig } from "./config.ts";
import { InputError } from "./errors.ts";

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
 * The valid backend names.
 *
 * @example
 * ```ts
 * import { SUPPORTED_BACKENDS } from "@aimax/cli";
 * console.log(SUPPORTED_BACKENDS); // ["tmux-claude-code", "tmux-codex"]
 * ```
 */
export const SUPPORTED_BACKENDS: readonly string[] = Object.keys(PROFILES);

const instances = new Map<string, TmuxAgentBackend>();

/**
 * The agent profile of backend `name`, looked up among the registry's own
 * names only (never an `Object.prototype` key such as `toString`).
 *
 * @example
 * ```ts
 * import { profileOf } from "./registry.ts";
 * console.log(profileOf("tmux-codex").label);
 * ```
 * @param name a backend name, as a user gave it
 * @throws {InputError} for an unknown name
 */
export function profileOf(name: string): AgentProfile {
  if (typeof name !== "string" || !Object.hasOwn(PROFILES, name)) {
    throw new InputError(
      `unknown backend "${String(name)}"; valid: ${
        SUPPORTED_BACKENDS.join(", ")
      }`,
    );
  }
  return PROFILES[name];
}

/**
 * The backend named `name` (a singleton). It snapshots the active config
 * when first built: call `setConfig()` before.
 *
 * @example
 * ```ts
 * import { get } from "@aimax/cli";
 * const backend = get("tmux-claude-code");
 * console.log(backend.name);
 * ```
 * @param name one of {@linkcode SUPPORTED_BACKENDS}
 * @throws {InputError} for an unknown name
 */
export function get(name: string): TmuxAgentBackend {
  const profile = profileOf(name);
  let backend = instances.get(name);
  if (!backend) {
    backend = new TmuxAgentBackend(profile, getConfig());
    instances.set(name, backend);
  }
  return backend;
}

/**
 * Forgets the singletons, so the next `get()` snapshots the config anew.
 *
 * @example
 * ```ts
 * import { get, resetBackends, setConfig } from "@aimax/cli";
 * setConfig({ runPreflight: false });
 * resetBackends(); // the next get() snapshots the new config
 * const backend = get("tmux-codex");
 * ```
 */
export function resetBackends(): void {
  instances.clear();
}
