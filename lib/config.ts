/**
 * Configuration: every path and setting aimax uses, with XDG defaults and
 * `AIMAX_*` environment overrides. Backends snapshot the active config when
 * they are constructed, so call {@linkcode setConfig} before the first
 * {@linkcode get}.
 *
 * @module
 */
import { join } from "node:path";

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
  /** Codex's home (`$CODEX_HOME`). */
  codexHome: string;
  /** tmux session that holds the Claude Code windows. */
  claudeHub: string;
  /** tmux session that holds the Codex windows. */
  codexHub: string;
  /** Claude Code's user file (`~/.claude.json`), where folder trust is recorded. */
  claudeConfig: string;
  /** Settings file passed to Claude Code with `--settings` when it exists. */
  claudeSettings: string;
  /** Where Claude Code writes its transcripts. */
  claudeProjectsDir: string;
  /** Codex's `config.toml` (read, never rewritten). */
  codexConfig: string;
  /** Codex's thread database, opened read-only. */
  codexStateDb: string;
  /** Where Codex writes its rollout transcripts. */
  codexSessionsDir: string;
  /** Model passed to Codex when the caller names none. */
  codexDefaultModel: string;
  /** An env file whose variables are loaded into the Codex window when it exists. */
  rightcodeEnvFile: string;
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
  /** Claude Code executable. */
  claudeBin: string;
  /** Codex executable. */
  codexBin: string;
}

/**
 * One row of the environment-override table.
 *
 * @example
 * ```ts
 * import { CONFIG_ENV_VARS, type ConfigEnvVar } from "@aimax/cli";
 * const dataDir: ConfigEnvVar = CONFIG_ENV_VARS.find((v) => v.key === "dataDir")!;
 * ```
 */
export interface ConfigEnvVar {
  /** Environment variable name. */
  env: string;
  /** The config key it sets. */
  key: keyof TmuxAgentsConfig;
  /** The default, as documented. */
  defaultText: string;
}

/**
 * The environment variables aimax reads, and the config key each one sets.
 *
 * @example
 * ```ts
 * import { CONFIG_ENV_VARS } from "@aimax/cli";
 * for (const { env, key, defaultText } of CONFIG_ENV_VARS) {
 *   console.log(env, key, defaultText);
 * }
 * ```
 */
export const CONFIG_ENV_VARS: readonly ConfigEnvVar[] = [
  {
    env: "AIMAX_DATA_DIR",
    key: "dataDir",
    defaultText: "$XDG_DATA_HOME/aimax",
  },
  { env: "AIMAX_HOME", key: "home", defaultText: "~" },
  {
    env: "AIMAX_CODEX_HOME",
    key: "codexHome",
    defaultText: "$CODEX_HOME or ~/.codex",
  },
  {
    env: "AIMAX_CLAUDE_HUB",
    key: "claudeHub",
    defaultText: "imac_claude_code_agent_hub",
  },
  {
    env: "AIMAX_CODEX_HUB",
    key: "codexHub",
    defaultText: "imac_codex_agent_hub",
  },
  {
    env: "AIMAX_CLAUDE_CONFIG",
    key: "claudeConfig",
    defaultText: "~/.claude.json",
  },
  {
    env: "AIMAX_CLAUDE_SETTINGS",
    key: "claudeSettings",
    defaultText: "~/.claude/settings.api.json",
  },
  {
    env: "AIMAX_CLAUDE_PROJECTS_DIR",
    key: "claudeProjectsDir",
    defaultText: "~/.claude/projects",
  },
  {
    env: "AIMAX_CODEX_CONFIG",
    key: "codexConfig",
    defaultText: "<codex home>/config.toml",
  },
  {
    env: "AIMAX_CODEX_STATE_DB",
    key: "codexStateDb",
    defaultText: "<codex home>/state_5.sqlite",
  },
  {
    env: "AIMAX_CODEX_SESSIONS_DIR",
    key: "codexSessionsDir",
    defaultText: "<codex home>/sessions",
  },
  {
    env: "AIMAX_CODEX_DEFAULT_MODEL",
    key: "codexDefaultModel",
    defaultText: "gpt-5.5",
  },
  {
    env: "AIMAX_RIGHTCODE_ENV_FILE",
    key: "rightcodeEnvFile",
    defaultText: "<codex home>/secrets/rightcode.env",
  },
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
  { env: "AIMAX_CLAUDE_BIN", key: "claudeBin", defaultText: "claude" },
  { env: "AIMAX_CODEX_BIN", key: "codexBin", defaultText: "codex" },
];

/** Other environment variables the defaults are derived from. */
export const DERIVED_FROM_ENV: readonly string[] = [
  "HOME",
  "XDG_DATA_HOME",
  "CODEX_HOME",
];

/**
 * Reads one environment variable; `undefined` when unset.
 *
 * @example
 * ```ts
 * import { configFromEnv, type EnvReader } from "@aimax/cli";
 * const fixed: EnvReader = (name) => ({ HOME: "/home/me" })[name];
 * console.log(configFromEnv(fixed).claudeConfig); // "/home/me/.claude.json"
 * ```
 */
export type EnvReader = (name: string) => string | undefined;

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
  const codexHome = get("AIMAX_CODEX_HOME") ?? get("CODEX_HOME") ??
    join(home, ".codex");
  const bool = (name: string, fallback: boolean) => {
    const value = get(name);
    return value === undefined ? fallback : parseBool(name, value);
  };
  return {
    dataDir: get("AIMAX_DATA_DIR") ?? join(xdgData, "aimax"),
    home,
    codexHome,
    claudeHub: get("AIMAX_CLAUDE_HUB") ?? "imac_claude_code_agent_hub",
    codexHub: get("AIMAX_CODEX_HUB") ?? "imac_codex_agent_hub",
    claudeConfig: get("AIMAX_CLAUDE_CONFIG") ?? join(home, ".claude.json"),
    claudeSettings: get("AIMAX_CLAUDE_SETTINGS") ??
      join(home, ".claude", "settings.api.json"),
    claudeProjectsDir: get("AIMAX_CLAUDE_PROJECTS_DIR") ??
      join(home, ".claude", "projects"),
    codexConfig: get("AIMAX_CODEX_CONFIG") ?? join(codexHome, "config.toml"),
    codexStateDb: get("AIMAX_CODEX_STATE_DB") ??
      join(codexHome, "state_5.sqlite"),
    codexSessionsDir: get("AIMAX_CODEX_SESSIONS_DIR") ??
      join(codexHome, "sessions"),
    codexDefaultModel: get("AIMAX_CODEX_DEFAULT_MODEL") ?? "gpt-5.5",
    rightcodeEnvFile: get("AIMAX_RIGHTCODE_ENV_FILE") ??
      join(codexHome, "secrets", "rightcode.env"),
    proxyEnvsBash: get("AIMAX_PROXY_ENVS_BASH") ??
      join(home, "proxy_envs.bash"),
    proxyChainsConf: get("AIMAX_PROXY_CHAINS_CONF") ??
      join(home, "proxy_claude.conf"),
    useProxyDefault: bool("AIMAX_USE_PROXY", false),
    runPreflight: bool("AIMAX_RUN_PREFLIGHT", true),
    tmuxSocket: get("AIMAX_TMUX_SOCKET") ?? "",
    tmuxBin: get("AIMAX_TMUX_BIN") ?? "tmux",
    claudeBin: get("AIMAX_CLAUDE_BIN") ?? "claude",
    codexBin: get("AIMAX_CODEX_BIN") ?? "codex",
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
 * console.log(getConfig().claudeHub);
 * ```
 */
export function getConfig(): TmuxAgentsConfig {
  active ??= configFromEnv();
  return active;
}

/**
 * Replaces the active config. Fields left out keep their environment-derived
 * values. Call it before the first `get()`: backends snapshot the config.
 *
 * @example
 * ```ts
 * import { setConfig } from "@aimax/cli";
 * setConfig({ dataDir: "/var/lib/myapp/aimax", runPreflight: false });
 * ```
 * @param config the fields to set
 * @returns the new active config
 */
export function setConfig(
  config: Partial<TmuxAgentsConfig>,
): TmuxAgentsConfig {
  active = { ...configFromEnv(), ...config };
  return active;
}

/**
 * One line of `aimax config show`.
 *
 * @example
 * ```ts
 * import { describeConfig, getConfig } from "@aimax/cli";
 * const [first] = describeConfig(getConfig());
 * console.log(first.env, first.value, first.defaultText);
 * ```
 */
export interface ConfigShowRow {
  /** Config key. */
  key: keyof TmuxAgentsConfig;
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
 * import { describeConfig, getConfig } from "@aimax/cli";
 * for (const row of describeConfig(getConfig())) console.log(row.env, row.value);
 * ```
 * @param config the config to describe
 * @param env reads one variable (default `Deno.env.get`)
 */
export function describeConfig(
  config: TmuxAgentsConfig,
  env: EnvReader = defaultEnv,
): ConfigShowRow[] {
  return CONFIG_ENV_VARS.map(({ env: name, key, defaultText }) => ({
    key,
    value: config[key],
    env: name,
    envValue: env(name),
    defaultText,
  }));
}
