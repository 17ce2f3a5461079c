/**
 * The shapes of aimax's configuration, apart from how it is read: the
 * config object, one environment variable row, and the section of it an
 * agent profile owns.
 *
 * @module
 */

/**
 * Every path and setting aimax uses.
 *
 * @example
 * ```ts
 * import { setConfig, type TmuxAgentsConfig } from "@aimax/cli";
 * const config: TmuxAgentsConfig = setConfig({ tmuxSocket: "aimax" });
 * console.log(config.dataDir);
 * ```
 */
export interface TmuxAgentsConfig {
  /** Where aimax keeps its state files (`hub-runtime.json`, `hub-archive.json`). */
  dataDir: string;
  /** The home directory the other defaults expand from. */
  home: string;
  /** A bash file sourced before proxychains when the proxy path is used. */
  proxyEnvsBash: string;
  /** The proxychains configuration used when the proxy path is used. */
  proxyChainsConf: string;
  /** Whether sessions use the proxychains path when the caller does not say. */
  useProxyDefault: boolean;
  /** Check that tmux and the agent binary exist before starting a session. */
  runPreflight: boolean;
  /** tmux server to use: a socket path (contains `/`) or a socket name; empty for tmux's default. */
  tmuxSocket: string;
  /** tmux executable. */
  tmuxBin: string;
  /**
   * Where sessions' worktrees are made (`<dir>/<repo>-<hash>/<session>`);
   * empty for `<dataDir>/worktrees`.
   */
  worktreeDir: string;
  /**
   * Each agent's own settings, by backend name: what its profile's
   * {@linkcode ConfigSection} resolved (its program, hub, files). Only the
   * agent's profile reads its section.
   */
  agents: Readonly<Record<string, AgentSettings>>;
}

/**
 * One row of the environment-override table.
 *
 * @example
 * ```ts
 * import { CONFIG_ENV_VARS } from "./config.ts";
 * import type { ConfigEnvVar } from "./config_types.ts";
 * const dataDir: ConfigEnvVar = CONFIG_ENV_VARS.find((v) => v.key === "dataDir")!;
 * ```
 */
export interface ConfigEnvVar {
  /** Environment variable name. */
  env: string;
  /** The config key it sets (in its agent's section, for an agent's). */
  key: string;
  /** The default, as documented. */
  defaultText: string;
  /** The backend name of the agent whose section it sets; none: aimax's own. */
  agent?: string;
}

/**
 * One agent's settings: the keys of its section and their values.
 *
 * @example
 * ```ts
 * import type { AgentSettings } from "./config_types.ts";
 * const settings: AgentSettings = { myAgentBin: "my-agent" };
 * ```
 */
export type AgentSettings = Readonly<Record<string, string>>;

/**
 * Reads one environment variable; `undefined` when unset.
 *
 * @example
 * ```ts
 * import { configFromEnv, type EnvReader } from "@aimax/cli";
 * const fixed: EnvReader = (name) => ({ HOME: "/home/me" })[name];
 * console.log(configFromEnv(fixed).dataDir); // "/home/me/.local/share/aimax"
 * ```
 */
export type EnvReader = (name: string) => string | undefined;

/**
 * The part of the configuration an agent owns: its environment variables
 * (with their documented defaults), how its values are found, and their
 * keys `K` (the agent's own settings, all strings).
 *
 * @example
 * ```ts
 * import type { ConfigSection } from "./config_types.ts";
 * const section: ConfigSection<"myAgentBin"> = {
 *   vars: [{ env: "AIMAX_MY_AGENT_BIN", key: "myAgentBin", defaultText: "my-agent" }],
 *   resolve: (get) => ({ myAgentBin: get("AIMAX_MY_AGENT_BIN") ?? "my-agent" }),
 * };
 * ```
 */
export interface ConfigSection<K extends string = string> {
  /** Its `AIMAX_*` variables and the keys they set, in the order shown. */
  readonly vars: readonly {
    env: string;
    key: K;
    defaultText: string;
  }[];
  /** Other variables its defaults derive from (e.g. the agent's own home). */
  readonly derivedFrom?: readonly string[];
  /**
   * Its values, from the environment (`get` returns `undefined` for unset
   * or empty variables) and the home directory.
   *
   * @param get reads one variable
   * @param base `home`: the directory defaults expand from
   */
  resolve(
    get: (name: string) => string | undefined,
    base: { home: string },
  ): Record<K, string>;
}
