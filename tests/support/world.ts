/**
 * An isolated world for end-to-end tests: its own HOME (and agent homes),
 * data dir, tmux server and loopback model stub, and a runner for the
 * `aimax` CLI as a separate process in that world.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { profileOf } from "../../lib/agents/mod.ts";
import { configFromEnv } from "../../lib/config.ts";
import { permissionFlags } from "../../lib/permissions.ts";
import {
  type AgentName,
  AGENTS,
  type LoopbackStub,
  TEST_KITS,
  testBinVar,
} from "../../offline/kits.ts";

export { type AgentName, AGENTS };

/** The project root. */
export const ROOT = resolve(new URL("../..", import.meta.url).pathname);

/**
 * The agent TUIs the tests drive, by short name (one per kit in
 * `offline/kits.ts`): where `npm ci` put the pinned ones, or the
 * executables named by `AIMAX_TEST_<AGENT>_BIN` (`deno task compat` points
 * them at the latest releases).
 */
export const AGENT_BIN: Readonly<Record<AgentName, string>> = Object
  .fromEntries(
    AGENTS.map((agent) => [
      agent,
      Deno.env.get(testBinVar(agent)) ||
      join(ROOT, "node_modules", ".bin", TEST_KITS[agent].bin),
    ]),
  ) as Record<AgentName, string>;

/** Whether the pinned agent binary is installed. */
export function hasAgent(agent: AgentName): boolean {
  try {
    Deno.statSync(AGENT_BIN[agent]);
    return true;
  } catch {
    return false;
  }
}

/** What one CLI run printed. */
export interface CliResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** One isolated world. */
export interface World {
  /** `aimax create` options the agent's test kit asks for. */
  createArgs: string[];
  /** Which agent. */
  agent: AgentName;
  /** Backend name. */
  backend: string;
  /** Temp root holding everything. */
  root: string;
  /** HOME. */
  home: string;
  /** aimax data dir. */
  dataDir: string;
  /** tmux socket path. */
  socket: string;
  /** A working directory (a git repo, not trusted yet). */
  cwd: string;
  /** Environment for aimax and the agent. */
  env: Record<string, string>;
  /** The Deno permission flags the CLI runs with. */
  flags: string[];
  /** The model stub. */
  stub: LoopbackStub;
  /** Runs `aimax ...args` as a new process. */
  cli(args: string[], options?: { stdin?: string }): Promise<CliResult>;
  /** Starts `aimax ...args` without waiting (for `stream`). */
  spawn(args: string[]): Deno.ChildProcess;
  /** Runs tmux on the world's server. */
  tmux(args: string[]): Promise<CliResult>;
  /** Kills the tmux server and stub, removes the files. */
  close(): Promise<void>;
}

const decoder = new TextDecoder();

let denoDirOfCaller: Promise<string> | undefined;

/**
 * The Deno cache this test process uses: a child given another HOME keeps
 * using it (else it would download every npm package again, slowly).
 */
export function callerDenoDir(): Promise<string> {
  denoDirOfCaller ??= (async () => {
    const given = Deno.env.get("DENO_DIR");
    if (given) return given;
    const info = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return JSON.parse(decoder.decode(info.stdout)).denoDir as string;
  })();
  return denoDirOfCaller;
}

/** Options of {@linkcode makeWorld}. */
export interface WorldOptions {
  /** Extra environment. */
  env?: Record<string, string>;
  /** Name of the working directory inside the world (default `work`). */
  cwdName?: string;
  /**
   * Deno permission flags for the CLI; default: the documented scoped set
   * ({@linkcode permissionFlags}) for the world's config and directory.
   */
  permissions?: (world: World) => string[] | Promise<string[]>;
  /**
   * Tools need a person's approval (each test kit sets its agent up so:
   * see `offline/<agent>_home.ts`).
   */
  approvals?: boolean;
}

/**
 * Builds a world for `agent`.
 *
 * @param agent which TUI
 * @param options extra env, CLI permissions
 */
export async function makeWorld(
  agent: AgentName,
  options: WorldOptions = {},
): Promise<World> {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: `aimax-${agent}-` }),
  );
  const home = join(root, "home");
  const dataDir = join(root, "data");
  const socket = join(root, "tmux.sock");
  const cwd = join(root, options.cwdName ?? "work");
  await Deno.mkdir(cwd, { recursive: true });
  await new Deno.Command("git", { args: ["init", "-q", cwd] }).output();
  const kit = TEST_KITS[agent];
  const { stub, env: agentEnv, createArgs = [] } = await kit.start({
    root,
    home,
    approvals: options.approvals,
  });
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    ...agentEnv,
    AIMAX_DATA_DIR: dataDir,
    AIMAX_TMUX_SOCKET: socket,
    ...Object.fromEntries(
      AGENTS.map((
        a,
      ) => [profileOf(TEST_KITS[a].backend).binEnvVar, AGENT_BIN[a]]),
    ),
    DENO_DIR: await callerDenoDir(),
    ...options.env,
  };
  let scoped: string[] | undefined;
  const flagsFor = async (w: World) => {
    scoped ??= options.permissions
      ? await options.permissions(w)
      : await permissionFlags(configFromEnv((name) => env[name]), {
        workDirs: [root],
      });
    return scoped;
  };
  const world: World = {
    agent,
    backend: kit.backend,
    createArgs,
    root,
    home,
    dataDir,
    socket,
    cwd,
    env,
    stub,
    flags: [],
    async cli(args, opts = {}) {
      const command = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          ...await flagsFor(world),
          join(ROOT, "mod.ts"),
          ...args,
        ],
        cwd: root,
        env,
        clearEnv: true,
        stdin: opts.stdin === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
      });
      const child = command.spawn();
      if (opts.stdin !== undefined) {
        const writer = child.stdin.getWriter();
        await writer.write(new TextEncoder().encode(opts.stdin));
        await writer.close();
      }
      const out = await child.output();
      return {
        code: out.code,
        stdout: decoder.decode(out.stdout),
        stderr: decoder.decode(out.stderr),
      };
    },
    spawn(args) {
      return new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          ...scoped!,
          join(ROOT, "mod.ts"),
          ...args,
        ],
        cwd: root,
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    },
    async tmux(args) {
      const out = await new Deno.Command("tmux", {
        args: ["-S", socket, ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: out.code,
        stdout: decoder.decode(out.stdout),
        stderr: decoder.decode(out.stderr),
      };
    },
    async close() {
      // The agents write their config as they exit: wait for them to be
      // gone before removing their HOME, or it comes back half-written.
      // Every process with this world's HOME is this world's: the agents of
      // live and of stopped sessions, doctor's probe, their hooks.
      // An agent that outlives its window is ended first, as `stop` does.
      const stopProcess = profileOf(world.backend).stopProcess;
      if (stopProcess) {
        const panes = await world.tmux([
          "list-panes",
          "-a",
          "-F",
          "#{pane_pid} #{pane_dead}",
        ]);
        for (const line of panes.stdout.split("\n")) {
          const [pid, dead] = line.split(" ");
          if (Number(pid) > 0 && dead === "0") {
            await stopProcess(Number(pid)).catch(() => {});
          }
        }
      }
      await world.tmux(["kill-server"]);
      await stub.close();
      for (let round = 0; round < 3; round++) {
        const pids = processesWithHome(home);
        if (pids.length === 0) break;
        await waitForExit(pids);
      }
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
  world.flags = await flagsFor(world);
  return world;
}

/** The processes (other than this one) whose environment has `HOME=home`. */
function processesWithHome(home: string): string[] {
  const pids: string[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name) || entry.name === String(Deno.pid)) continue;
    try {
      const environ = Deno.readTextFileSync(`/proc/${entry.name}/environ`);
      if (environ.split("\0").includes(`HOME=${home}`)) pids.push(entry.name);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/**
 * Waits (up to `timeoutMs`) until processes `pids` have exited: an agent
 * writes its config as it exits, so its HOME is removed only after that.
 * Twenty agents exiting at once on a loaded 2-core machine can take longer
 * than 5 s; an agent still running when the time is up (its command line
 * names an agent's program, so it is this world's and not a reused pid) is
 * killed, so that it cannot write into the removed HOME.
 *
 * @param pids process ids (a zombie counts as gone)
 * @param timeoutMs the limit
 */
export async function waitForExit(
  pids: readonly (string | number)[],
  timeoutMs = 20_000,
): Promise<void> {
  const alive = (pid: string | number) => {
    try {
      const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      return stat[stat.lastIndexOf(")") + 2] !== "Z";
    } catch {
      return false;
    }
  };
  const gone = () => !pids.some(alive);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone()) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const pid of pids.filter(alive)) {
    let command = "";
    try {
      command = Deno.readTextFileSync(`/proc/${pid}/cmdline`);
    } catch {
      continue;
    }
    if (!AGENTS.some((a) => command.includes(TEST_KITS[a].bin))) continue;
    try {
      Deno.kill(Number(pid), "SIGKILL");
    } catch {
      // already gone
    }
  }
  const killed = Date.now() + 2_000;
  while (Date.now() < killed && !gone()) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes.
 *
 * @param what description for the timeout error
 * @param check the condition
 * @param timeoutMs the limit
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
}

/**
 * Parses the JSON a CLI run printed, failing with its stderr otherwise.
 *
 * @param result a CLI result
 */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  if (result.code !== 0) {
    throw new Error(
      `aimax exited ${result.code}: ${result.stderr}${result.stdout}`,
    );
  }
  return JSON.parse(result.stdout) as T;
}

/**
 * Registers a test that gets a fresh world for `agent` and always closes
 * it; ignored when the agent is not installed.
 *
 * @param agent which TUI
 * @param name test name
 * @param fn the test body
 * @param options world options, and `ignore` for other reasons to skip
 */
export function worldTest(
  agent: AgentName,
  name: string,
  fn: (world: World) => Promise<void>,
  options: WorldOptions & { ignore?: boolean } = {},
): void {
  Deno.test({
    name,
    ignore: !hasAgent(agent) || options.ignore === true,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const world = await makeWorld(agent, options);
      try {
        await fn(world);
      } finally {
        await world.close();
      }
    },
  });
}

/**
 * Collects the JSON lines a child (`aimax stream --json`) prints.
 *
 * @param child the spawned process
 * @returns the entries so far (growing) and a promise that ends with stdout
 */
export function followJsonLines<T>(
  child: Deno.ChildProcess,
): { entries: T[]; done: Promise<void> } {
  const entries: T[] = [];
  const done = (async () => {
    let buffer = "";
    for await (
      const chunk of child.stdout.pipeThrough(new TextDecoderStream())
    ) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      for (const line of parts) if (line !== "") entries.push(JSON.parse(line));
    }
  })();
  return { entries, done };
}
