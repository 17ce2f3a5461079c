/**
 * Configuration: every path and setting aimax uses, with XDG defaults and
 * `AIMAX_*` environment overrides. Backends snapshot the active config when
 * they are constructed, so call {@linkcode setConfig} before the first
 * {@linkcode get}.
 *
 * @module
 */
import { join } from "./path.ts";
import { AGENT_PROFILES } from "./agents/mod.ts";
import type {
  AgentSettings,
  ConfigEnvVar,
  EnvReader,
  TmuxAgentsConfig,
} from "./config_types.ts";

export type {
  AgentSettings,
  ConfigEnvVar,
  ConfigSection,
  EnvReader,
  TmuxAgentsConfig,
} from "./config_types.ts";

/** aimax's own settings, before the agents' sections. */
const CORE_HEAD: readonly ConfigEnvVar[] = [
  {
    env: "AIMAX_DATA_DIR",
    key: "dataDir",
    defaultText: "$XDG_DATA_HOME/aimax",
  },
  { env: "AIMAX_HOME", key: "home", defaultText: "~" },
];

/** aimax's own settings, after the agents' sections. */
const CORE_TAIL: readonly ConfigEnvVar[] = [
  {
    env: "AIMAX_PROXY_ENVS_BASH",
    key: "proxyEnvsBash",
    defaultText: "~/proxy_envs.bash",
  },
  {
    env: "AIMAX_PROXY_CHAINS_CONF",
    key: "proxyChainsConf",
    defaultText: "~/proxy_claude.conf",
  },
  { env: "AIMAX_USE_PROXY", key: "useProxyDefault", defaultText: "0" },
  { env: "AIMAX_RUN_PREFLIGHT", key: "runPreflight", defaultText: "1" },
  {
    env: "AIMAX_TMUX_SOCKET",
    key: "tmuxSocket",
    defaultText: "(tmux's default server)",
  },
  { env: "AIMAX_TMUX_BIN", key: "tmuxBin", defaultText: "tmux" },
  {
    env: "AIMAX_WORKTREE_DIR",
    key: "worktreeDir",
    defaultText: "$AIMAX_DATA_DIR/worktrees",
  },
];

/**
 * The environment variables aimax reads, and the config key each one sets:
 * aimax's own, and each agent's section (owned by its profile).
 *
 * @example
 * ```ts
 * import { CONFIG_ENV_VARS } from "./config.ts";
 * for (const { env, key, defaultText } of CONFIG_ENV_VARS) {
 *   console.log(env, key, defaultText);
 * }
 * ```
 */
export const CONFIG_ENV_VARS: readonly ConfigEnvVar[] = [
  ...CORE_HEAD,
  ...AGENT_PROFILES.flatMap((profile) =>
    profile.config.vars.map((v) => ({ ...v, agent: profile.name }))
  ),
  ...CORE_TAIL,
];

/** Other environment variables the defaults are derived from. */
export const DERIVED_FROM_ENV: readonly string[] = [
  "HOME",
  "XDG_DATA_HOME",
  ...AGENT_PROFILES.flatMap((profile) => profile.config.derivedFrom ?? []),
];

const defaultEnv: EnvReader = (name) => Deno.env.get(name);

function parseBool(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off", ""].includes(v)) return false;
  throw new TypeError(`${name} must be 0 or 1 (got "${value}")`);
}

/**
 * Builds a config from defaults and the environment.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "@aimax/cli";
 * const config = configFromEnv((name) => ({ HOME: "/home/me" })[name]);
 * console.log(config.dataDir); // "/home/me/.local/share/aimax"
 * ```
 * @param env reads one variable; defaults to `Deno.env.get`, which needs `--allow-env` for the names in {@linkcode CONFIG_ENV_VARS} and {@linkcode DERIVED_FROM_ENV}
 */
export function configFromEnv(env: EnvReader = defaultEnv): TmuxAgentsConfig {
  const get = (name: string) => {
    const value = env(name);
    return value === undefined || value === "" ? undefined : value;
  };
  const home = get("AIMAX_HOME") ?? get("HOME") ?? "/";
  const xdgData = get("XDG_DATA_HOME") ?? join(home, ".local", "share");
  const bool = (name: string, fallback: boolean) => {
    const value = get(name);
    return value === undefined ? fallback : parseBool(name, value);
  };
  const agents = Object.fromEntries(
    AGENT_PROFILES.map((profile) => [
      profile.name,
      profile.config.resolve(get, { home }),
    ]),
  );
  return {
    dataDir: get("AIMAX_DATA_DIR") ?? join(xdgData, "aimax"),
    home,
    agents,
    proxyEnvsBash: get("AIMAX_PROXY_ENVS_BASH") ??
      join(home, "proxy_envs.bash"),
    proxyChainsConf: get("AIMAX_PROXY_CHAINS_CONF") ??
      join(home, "proxy_claude.conf"),
    useProxyDefault: bool("AIMAX_USE_PROXY", false),
    runPreflight: bool("AIMAX_RUN_PREFLIGHT", true),
    tmuxSocket: get("AIMAX_TMUX_SOCKET") ?? "",
    tmuxBin: get("AIMAX_TMUX_BIN") ?? "tmux",
    worktreeDir: get("AIMAX_WORKTREE_DIR") ?? "",
  };
}

let active: TmuxAgentsConfig | undefined;

/**
 * The active config: the one given to {@linkcode setConfig}, or else one
 * built from the environment on first use.
 *
 * @example
 * ```ts
 * import { getConfig } from "@aimax/cli";
 * console.log(getConfig().dataDir);
 * ```
 */
export function getConfig(): TmuxAgentsConfig {
  active ??= configFromEnv();
  return active;
}

/**
 * Fields of the config to set: aimax's own, and for `agents` some keys of
 * an agent's section (by backend name), the others kept.
 *
 * @example
 * ```ts
 * import type { ConfigOverrides } from "@aimax/cli";
 * const overrides: ConfigOverrides = { runPreflight: false };
 * ```
 */
export type ConfigOverrides =
  & Partial<Omit<TmuxAgentsConfig, "agents">>
  & { agents?: Readonly<Record<string, Partial<AgentSettings>>> };

/**
 * `base` with `overrides` set: aimax's own fields replaced, each agent's
 * section merged key by key.
 *
 * @example
 * ```ts
 * import { configFromEnv, withOverrides } from "./config.ts";
 * const config = withOverrides(configFromEnv(), { tmuxSocket: "aimax" });
 * ```
 * @param base a whole config
 * @param overrides the fields to set
 */
export function withOverrides(
  base: TmuxAgentsConfig,
  overrides: ConfigOverrides,
): TmuxAgentsConfig {
  const agents: Record<string, AgentSettings> = { ...base.agents };
  for (const [name, settings] of Object.entries(overrides.agents ?? {})) {
    const merged: Record<string, string> = { ...agents[name] };
    for (const [key, value] of Object.entries(settings)) {
      if (typeof value === "string") merged[key] = value;
    }
    agents[name] = merged;
  }
  return { ...base, ...overrides, agents };
}

/**
 * Replaces the active config. Fields left out keep their environment-derived
 * values (an agent's section key by key). Call it before the first `get()`:
 * backends snapshot the config.
 *
 * @example
 * ```ts
 * import { setConfig } from "@aimax/cli";
 * setConfig({ dataDir: "/var/lib/myapp/aimax", runPreflight: false });
 * ```
 * @param config the fields to set
 * @returns the new active config
 */
export function setConfig(config: ConfigOverrides): TmuxAgentsConfig {
  active = withOverrides(configFromEnv(), config);
  return active;
}

/**
 * One line of `aimax config show`.
 *
 * @example
 * ```ts
 * import { describeConfig, getConfig } from "./config.ts";
 * const [first] = describeConfig(getConfig());
 * console.log(first.env, first.value, first.defaultText);
 * ```
 */
export interface ConfigShowRow {
  /** Config key (in its agent's section, for an agent's). */
  key: string;
  /** The backend name of the agent whose section it is; none: aimax's own. */
  agent?: string;
  /** Active value. */
  value: string | boolean;
  /** The variable that overrides it. */
  env: string;
  /** That variable's current value, if set. */
  envValue: string | undefined;
  /** The documented default. */
  defaultText: string;
}

/**
 * Every active value with the environment variable that overrides it, for
 * `aimax config show`.
 *
 * @example
 * ```ts
 * import { describeConfig, getConfig } from "./config.ts";
 * for (const row of describeConfig(getConfig())) console.log(row.env, row.value);
 * ```
 * @param config the config to describe
 * @param env reads one variable (default `Deno.env.get`)
 */
export function describeConfig(
  config: TmuxAgentsConfig,
  env: EnvReader = defaultEnv,
): ConfigShowRow[] {
  return CONFIG_ENV_VARS.map(({ env: name, key, defaultText, agent }) => ({
    key,
    ...(agent ? { agent } : {}),
    value: agent
      ? config.agents[agent]?.[key] ?? ""
      : config[key as keyof Omit<TmuxAgentsConfig, "agents">],
    env: name,
    envValue: env(name),
    defaultText,
  }));
}
