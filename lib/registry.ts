/**
 * The backend registry: `get(name)` returns one backend per name, built
 * from the active config on first use.
 *
 * @module
 */
import { profileOf, PROFILES } from "./agents/mod.ts";
import { TmuxAgentBackend } from "./backend/mod.ts";
import { getConfig } from "./config.ts";

/**
 * The valid backend names.
 *
 * @example
 * ```ts
 * import { SUPPORTED_BACKENDS } from "@aimax/cli";
 * console.log(SUPPORTED_BACKENDS); // one `tmux-<agent>` per agent profile
 * ```
 */
export const SUPPORTED_BACKENDS: readonly string[] = Object.keys(PROFILES);

const instances = new Map<string, TmuxAgentBackend>();

/**
 * The backend named `name` (a singleton). It snapshots the active config
 * when first built: call `setConfig()` before.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "@aimax/cli";
 * const backend = get(SUPPORTED_BACKENDS[0]);
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
 * import { get, SUPPORTED_BACKENDS, resetBackends, setConfig } from "@aimax/cli";
 * setConfig({ runPreflight: false });
 * resetBackends(); // the next get() snapshots the new config
 * const backend = get(SUPPORTED_BACKENDS[0]);
 * ```
 */
export function resetBackends(): void {
  instances.clear();
}
