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
  /** The folder holding Gemini CLI's `.gemini` (`$GEMINI_CLI_HOME`, else HOME). */
  geminiHome: string;
  /** tmux session that holds the Gemini CLI windows. */
  geminiHub: string;
  /** Gemini CLI executable. */
  geminiBin: string;
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
 * import { CONFIG_ENV_VARS } from "./config.ts";
 * import type { ConfigEnvVar } from "./config_types.ts";
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

/**
 * The part of the configuration an agent owns: its environment variables
 * (with their documented defaults) and how its values are found.
 *
 * @example
 * ```ts
 * import type { ConfigSection } from "./config_types.ts";
 * const section: ConfigSection = {
 *   vars: [{ env: "AIMAX_CLAUDE_BIN", key: "claudeBin", defaultText: "claude" }],
 *   resolve: (get) => ({ claudeBin: get("AIMAX_CLAUDE_BIN") ?? "claude" }),
 * };
 * ```
 */
export interface ConfigSection {
  /** Its `AIMAX_*` variables and the keys they set, in the order shown. */
  readonly vars: readonly ConfigEnvVar[];
  /** Other variables its defaults derive from (e.g. `CODEX_HOME`). */
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
  ): Partial<TmuxAgentsConfig>;
}
