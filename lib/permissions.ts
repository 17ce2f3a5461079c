/**
 * The narrowest Deno permission set under which aimax works: tmux is the
 * only program it runs (and, for worktrees, git and sh); it reads and
 * writes only its data dir, the agents' homes and the working directories
 * (flag roots) it is given (and, for worktrees, where they go and the
 * system's temporary folder); it reads only the environment variables it
 * documents; no network (but `aimax serve`'s own address), FFI or system
 * info.
 *
 * @module
 */
import { join } from "./path.ts";
import {
  CONFIG_ENV_VARS,
  DERIVED_FROM_ENV,
  type TmuxAgentsConfig,
} from "./config.ts";
import { InputError } from "./errors.ts";
import { serveSocketPath } from "./private.ts";
import { PROFILES } from "./agents/mod.ts";
import { GIT_ENV_PASSED } from "./worktree/git.ts";

/**
 * Options of {@linkcode permissionFlags}.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "./config.ts";
 * import { permissionFlags, type PermissionOptions } from "./permissions.ts";
 * const options: PermissionOptions = { workDirs: ["/src"], backends: ["tmux-agent"] };
 * console.log(await permissionFlags(configFromEnv(), options));
 * ```
 */
export interface PermissionOptions {
  /** Working directories (and flag roots) sessions will use. */
  workDirs?: readonly string[];
  /** Limit to these backends (default: all). */
  backends?: readonly string[];
  /**
   * The address `aimax serve` binds, `HOST:PORT` (port 0 or none: any port
   * of HOST): adds `--allow-net` for it and `AIMAX_SERVE_TOKEN`.
   */
  serve?: string;
  /**
   * The URL of the `aimax serve` the CLI runs against (`--server`,
   * `AIMAX_SERVER`): adds `--allow-net` for its host and port and
   * `AIMAX_SERVE_TOKEN`.
   */
  server?: string;
  /**
   * Sessions in worktrees of their own (`create --worktree`, `diff`,
   * `merge`): adds `git` and `sh` (`--setup`) to `--allow-run`, the
   * worktree folder (`AIMAX_WORKTREE_DIR`, when outside the data dir) and
   * the system's temporary folder (diff and merge read the worktree
   * through a temporary index) to `--allow-read` and `--allow-write`, and
   * the variables git is given (`HOME` for its config, `PATH`, the commit
   * identity) to `--allow-env`. The repositories are the `workDirs`.
   */
  worktrees?: boolean;
  /**
   * The system's temporary folder, with `worktrees` (default: `TMPDIR`,
   * else `/tmp`).
   */
  tempDir?: string;
}

/**
 * The system's temporary folder, as `Deno.makeTempDir` picks it: `TMPDIR`
 * (when it can be read), else `/tmp`.
 */
function systemTempDir(): string {
  try {
    return Deno.env.get("TMPDIR") || "/tmp";
  } catch {
    return "/tmp";
  }
}

/** Whether `path` is `dir` or inside it. */
function inside(path: string, dir: string): boolean {
  const base = dir.replace(/\/+$/, "");
  return path === base || path.startsWith(`${base}/`);
}

/** The `--allow-net` value for a server URL (`http://HOST:PORT`). */
function netForUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`--server takes http://HOST:PORT, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`--server takes http://HOST:PORT, got "${raw}"`);
  }
  return url.port
    ? `${url.hostname}:${url.port}`
    : `${url.hostname}:${url.protocol === "https:" ? 443 : 80}`;
}

/**
 * The `--allow-net` value for serving on `address` (`HOST:PORT`, `HOST`,
 * `[::1]:PORT`): the host alone when the port is 0 or missing.
 */
function netFor(address: string): string {
  const match = address.match(/^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/);
  if (!match || match[1] === "") {
    throw new InputError(`--serve takes HOST:PORT, got "${address}"`);
  }
  const [, host, port] = match;
  return port === undefined || Number(port) === 0 ? host : `${host}:${port}`;
}

/**
 * The `--allow-net` value for the socket of the server behind the front
 * (`unix:PATH`), when `address` names its port; with port 0 the server
 * behind listens on a loopback port, which the host alone allows.
 */
function socketFor(address: string, config: TmuxAgentsConfig): string[] {
  const port = Number(address.match(/:(\d+)$/)?.[1] ?? 0);
  return port === 0 ? [] : [`unix:${serveSocketPath(config.dataDir, port)}`];
}

function unique(items: Iterable<string>): string[] {
  return [...new Set(items)].filter((item) => item !== "");
}

/**
 * The `deno run` permission flags for the CLI with `config`.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "./config.ts";
 * import { permissionFlags } from "./permissions.ts";
 * const flags = await permissionFlags(configFromEnv(), { workDirs: ["/src"] });
 * console.log(["deno", "run", ...flags, "jsr:@aimax/cli", "list"].join(" "));
 * ```
 * @param config the config the CLI will run with
 * @param options working directories and backends
 */
export async function permissionFlags(
  config: TmuxAgentsConfig,
  options: PermissionOptions = {},
): Promise<string[]> {
  const names = options.backends ?? Object.keys(PROFILES);
  const profiles = names.filter((name) => Object.hasOwn(PROFILES, name))
    .map((name) => PROFILES[name]);
  const read = [config.dataDir, ...(options.workDirs ?? [])];
  const write = [config.dataDir, ...(options.workDirs ?? [])];
  const env = [
    ...CONFIG_ENV_VARS.map((v) => v.env),
    ...DERIVED_FROM_ENV,
    "NO_COLOR",
    // Remote mode is off unless it is set.
    "AIMAX_SERVER",
  ];
  const run = [config.tmuxBin];
  for (const profile of profiles) {
    const paths = profile.paths(config);
    read.push(...paths.read);
    write.push(...paths.write);
    run.push(...paths.run ?? []);
    env.push(...profile.envNames);
    env.push(...await profile.configuredEnvNames?.(config) ?? []);
  }
  if (options.serve !== undefined || options.server !== undefined) {
    env.push("AIMAX_SERVE_TOKEN");
  }
  if (options.server !== undefined) env.push("AIMAX_SERVER_TIMEOUT");
  if (options.worktrees) {
    run.push("git", "sh");
    const worktreeDir = config.worktreeDir ||
      join(config.dataDir, "worktrees");
    const temp = (options.tempDir ?? systemTempDir()).replace(/\/+$/, "") ||
      "/";
    for (const dir of [worktreeDir, temp]) {
      // The default worktree folder is in the data dir, allowed already.
      if (inside(dir, config.dataDir)) continue;
      read.push(dir);
      write.push(dir);
    }
    env.push(...GIT_ENV_PASSED);
  }
  const net = [
    ...(options.serve === undefined
      ? []
      : [netFor(options.serve), ...socketFor(options.serve, config)]),
    ...(options.server === undefined ? [] : [netForUrl(options.server)]),
  ];
  return [
    "--no-prompt",
    `--allow-run=${unique(run).join(",")}`,
    ...(net.length === 0 ? [] : [`--allow-net=${unique(net).join(",")}`]),
    `--allow-env=${unique(env).join(",")}`,
    `--allow-read=${unique(read).join(",")}`,
    `--allow-write=${unique(write).join(",")}`,
  ];
}
