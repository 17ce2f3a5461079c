/**
 * `aimax doctor`: what this machine has and whether the agents behave as
 * this release expects. Screens and hook payloads change between agent
 * versions, so besides finding the programs it starts each agent once in a
 * scratch window (no prompt is sent, so no model is called) and checks that
 * its ready screen is recognised, its version is the tested one, and (for
 * an agent that signals its start) its session-start signal fires. A
 * setting of the agent that
 * turns its hooks off is a line of its own, naming the file.
 *
 * @module
 */
import { join } from "./path.ts";
import type { AgentProfile, SignalsBlock } from "./agents/agent.ts";
import type { TmuxAgentsConfig } from "./config.ts";
import { formatTestedRange, untestedVersion } from "./agents/tested_range.ts";
import { pollUntil } from "./poll.ts";
import { checkExecutable, TMUX_HINT } from "./preflight.ts";
import { profileOf, PROFILES } from "./agents/mod.ts";
import { signalFiles } from "./signals/files.ts";
import { installHookScript } from "./signals/hook_script.ts";
import type { SignalEvent } from "./signals/session_state.ts";
import { TmuxClient } from "./tmux/mod.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "./private.ts";

/**
 * One line of the doctor's report.
 *
 * @example
 * ```ts
 * import type { DoctorCheck } from "./doctor.ts";
 * const check: DoctorCheck = { name: "tmux", status: "ok", detail: "tmux 3.3a" };
 * ```
 */
export interface DoctorCheck {
  /** What was checked. */
  name: string;
  /**
   * `ok`, `warn` (works, but look), `skip` (an agent that is not installed
   * and was not asked for), or `fail`.
   */
  status: "ok" | "warn" | "skip" | "fail";
  /** What was found. */
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

/**
 * Options of {@linkcode runDoctor}.
 *
 * @example
 * ```ts
 * import type { DoctorOptions } from "./doctor.ts";
 * const quick: DoctorOptions = { startAgents: false };
 * ```
 */
export interface DoctorOptions {
  /** Which backends (default: all). */
  backends?: string[];
  /** Start each agent once in a scratch window (default true). */
  startAgents?: boolean;
  /** How long an agent may take to show its ready screen (default 30 s). */
  readyTimeoutMs?: number;
}

/** How long `doctor` waits, once an agent is ready, for its version to show. */
const VERSION_SHOWN_MS = 3_000;

/** The tmux version this release is tested with (and the oldest it needs). */
const TMUX_MIN = [3, 0];

/**
 * Runs every check.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "./config.ts";
 * import { runDoctor } from "./doctor.ts";
 * for (const c of await runDoctor(configFromEnv(), { startAgents: false })) {
 *   console.log(c.status, c.name, c.detail);
 * }
 * ```
 * @param config the config to check
 * @param options backends, whether to start the agents, time limit
 */
export async function runDoctor(
  config: TmuxAgentsConfig,
  options: DoctorOptions = {},
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [await checkTmux(config)];
  checks.push(await checkDataDir(config));
  checks.push(await checkPermissions(config));
  const names = options.backends ?? Object.keys(PROFILES);
  for (const name of names) {
    const profile = profileOf(name);
    const bin = profile.bin(config);
    const found = await checkExecutable(bin);
    if (found === "missing") {
      // An agent the user does not run is no failure; one asked for by
      // `-b` is.
      checks.push({
        name: profile.label,
        status: options.backends ? "fail" : "skip",
        detail: options.backends
          ? `${bin} not found`
          : `${bin} not found (skipped)`,
        fix: `${profile.installHint}, or set ${profile.binEnvVar}`,
      });
      continue;
    }
    const blocked = await profile.signalsBlocked?.(
      config,
      join(config.dataDir, "doctor"),
    );
    if (options.startAgents === false || checks[0].status === "fail") {
      checks.push({
        name: profile.label,
        status: "ok",
        detail: `${bin} found (not started)`,
      });
      if (blocked) checks.push(blockedCheck(profile, blocked));
      continue;
    }
    checks.push(
      ...await startOnce(profile, config, {
        readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
        blocked,
      }),
    );
  }
  if (
    names.length > 0 &&
    names.every((name) =>
      checks.some((c) =>
        c.name === profileOf(name).label && c.status === "skip"
      )
    )
  ) {
    checks.push({
      name: "agents",
      status: "fail",
      detail: "no agent is installed",
      fix: names.map((name) => profileOf(name).installHint).join("; "),
    });
  }
  return checks;
}

async function checkTmux(config: TmuxAgentsConfig): Promise<DoctorCheck> {
  const tmux = new TmuxClient({ bin: config.tmuxBin });
  try {
    const { stdout } = await tmux.exec(["-V"]);
    const version = stdout.trim();
    const [major = 0, minor = 0] = (version.match(/(\d+)\.(\d+)/) ?? [])
      .slice(1).map(Number);
    const old = major < TMUX_MIN[0] ||
      (major === TMUX_MIN[0] && minor < TMUX_MIN[1]);
    return old
      ? {
        name: "tmux",
        status: "warn",
        detail: `${version} (older than ${TMUX_MIN.join(".")})`,
        fix: "upgrade tmux",
      }
      : { name: "tmux", status: "ok", detail: version };
  } catch (error) {
    return {
      name: "tmux",
      status: "fail",
      detail: error instanceof Error ? error.message : String(error),
      fix: TMUX_HINT,
    };
  }
}

async function checkDataDir(config: TmuxAgentsConfig): Promise<DoctorCheck> {
  try {
    await Deno.mkdir(config.dataDir, {
      recursive: true,
      mode: PRIVATE_DIR_MODE,
    });
    const probe = await Deno.makeTempFile({
      dir: config.dataDir,
      prefix: ".doctor-",
    });
    await Deno.remove(probe);
    return { name: "data dir", status: "ok", detail: config.dataDir };
  } catch (error) {
    return {
      name: "data dir",
      status: "fail",
      detail: `${config.dataDir}: ${
        error instanceof Error ? error.message : error
      }`,
      fix: "set AIMAX_DATA_DIR to a writable directory",
    };
  }
}

async function checkPermissions(
  config: TmuxAgentsConfig,
): Promise<DoctorCheck> {
  const wanted: Deno.PermissionDescriptor[] = [
    { name: "run", command: config.tmuxBin },
    { name: "read", path: config.dataDir },
    { name: "write", path: config.dataDir },
    { name: "env", variable: "HOME" },
  ];
  const missing: string[] = [];
  for (const descriptor of wanted) {
    const { state } = await Deno.permissions.query(descriptor);
    if (state !== "granted") {
      missing.push(`--allow-${descriptor.name}`);
    }
  }
  return missing.length === 0
    ? {
      name: "permissions",
      status: "ok",
      detail: "tmux, the data dir and the environment are allowed",
    }
    : {
      name: "permissions",
      status: "fail",
      detail: `not granted: ${missing.join(" ")}`,
      fix:
        "run with the flags of `aimax config permissions` (README: Permissions)",
    };
}

/**
 * The version check of `doctor`: ok within the profile's tested range, a
 * warning outside it (older: upgrade; newer: check it, never downgrade) or
 * when the start-up screen shows no version.
 *
 * @example
 * ```ts
 * import { AGENT_PROFILES } from "./agents/mod.ts";
 * import { versionCheck } from "./doctor.ts";
 * declare const screen: string; // the agent's start-up screen
 * console.log(versionCheck(AGENT_PROFILES[0], screen));
 * ```
 *
 * @param profile the agent
 * @param screen its start-up screen
 */
export function versionCheck(
  profile: AgentProfile,
  screen: string,
): DoctorCheck {
  const name = `${profile.label}: version`;
  const range = profile.testedRange;
  const tested = `tested ${formatTestedRange(range)}`;
  const version = profile.versionFromScreen(screen);
  if (!version) {
    return {
      name,
      status: "warn",
      detail: `not shown on the start-up screen; ${tested}`,
      fix:
        `run \`${profile.shortName} --version\`; screens and hooks may differ outside ${
          formatTestedRange(range)
        }`,
    };
  }
  const untested = untestedVersion(version, range);
  if (!untested) {
    return { name, status: "ok", detail: `${version} (${tested})` };
  }
  return {
    name,
    status: "warn",
    detail: `${version}: ${untested.what}`,
    fix: untested.advice,
  };
}

/** The line for an agent setting that keeps aimax's hooks from firing. */
function blockedCheck(
  profile: AgentProfile,
  blocked: SignalsBlock,
): DoctorCheck {
  return {
    name: `${profile.label}: hook settings`,
    status: "warn",
    detail:
      `${blocked.detail} turns every hook off: aimax's hooks will not fire. Everything still works: turns, answers and state are read from the transcript, a little slower`,
    fix: blocked.fix,
  };
}

/**
 * Starts the agent in a scratch window, reads its screen, then ends it.
 * `blocked`: what keeps its hooks from firing, if anything.
 */
async function startOnce(
  profile: AgentProfile,
  config: TmuxAgentsConfig,
  options: { readyTimeoutMs: number; blocked?: SignalsBlock },
): Promise<DoctorCheck[]> {
  const { readyTimeoutMs, blocked } = options;
  const name = profile.label;
  const cwd = join(config.dataDir, "doctor");
  await Deno.mkdir(cwd, { recursive: true, mode: PRIVATE_DIR_MODE });
  const files = signalFiles(config.dataDir, {
    backend: profile.name,
    sessionId: "_doctor",
  });
  await Deno.mkdir(join(files.events, ".."), {
    recursive: true,
    mode: PRIVATE_DIR_MODE,
  });
  await Deno.writeTextFile(files.events, "", { mode: PRIVATE_FILE_MODE });
  const tmux = new TmuxClient({
    socket: config.tmuxSocket,
    bin: config.tmuxBin,
  });
  await profile.recordTrust(config, cwd);
  const plan = await profile.plan({
    config,
    sessionId: "_doctor",
    cwd,
    model: null,
    useProxy: false,
    agentSessionId: null,
    signals: {
      hook: await installHookScript(config.dataDir),
      events: files.events,
      runFile: files.runFile,
    },
  });
  const hub = await tmux.ensureSession("aimax_doctor", {
    cwd,
    windowName: "_hub",
  });
  const window = await tmux.newWindow(hub, {
    name: `doctor-${profile.name}`,
    cwd,
    env: plan.env,
    command: ["env", "--", ...plan.argv],
  });
  const out: DoctorCheck[] = [];
  try {
    let screen = "";
    let trustPressed = false;
    const ready = await pollUntil(async () => {
      screen = await tmux.paneText(window.paneId).catch(() => screen);
      const state = profile.readScreen(screen);
      if (
        state.kind === "dialog" && state.purpose === "trust" && !trustPressed
      ) {
        await tmux.sendKeys(window.paneId, ...profile.acceptTrustKeys(screen));
        trustPressed = true;
      }
      return state.kind === "input" ? true : undefined;
    }, { timeoutMs: readyTimeoutMs, intervalMs: 200 });
    if (!ready.timedOut && !profile.versionFromScreen(screen)) {
      // Some agents draw their banner (with the version) after the input
      // box: the first ready frame may not show it yet.
      await pollUntil(async () => {
        screen = await tmux.paneText(window.paneId).catch(() => screen);
        return profile.versionFromScreen(screen) ? true : undefined;
      }, { timeoutMs: VERSION_SHOWN_MS, intervalMs: 200 });
    }
    const excerpt = screen.trim().split("\n").slice(-6).join(" / ");
    out.push(
      ready.timedOut
        ? {
          name: `${name}: ready screen`,
          status: "fail",
          detail: `not recognised within ${
            readyTimeoutMs / 1000
          } s: ${excerpt}`,
          fix: `run \`${
            profile.bin(config)
          }\` once by hand (login, onboarding, a new dialog?); a different version may draw a screen aimax does not know`,
        }
        : { name: `${name}: ready screen`, status: "ok", detail: "recognised" },
    );
    out.push(versionCheck(profile, screen));
    if (profile.doctorSignals.kind === "session_started") {
      const start = profile.doctorSignals.event;
      const fired = await pollUntil(
        async () => (await sessionStarted(profile, files.events)) || undefined,
        { timeoutMs: 5_000, intervalMs: 100 },
      );
      if (blocked) out.push(blockedCheck(profile, blocked));
      out.push(
        fired.timedOut && blocked
          ? {
            name: `${name}: hooks`,
            status: "warn",
            detail:
              `${start} did not fire: the agent's settings turn every hook off (see "hook settings")`,
          }
          : fired.timedOut
          ? {
            name: `${name}: hooks`,
            status: "fail",
            detail: `${start} did not fire`,
            fix:
              "state falls back to the screen; check that sh and the data dir are usable by the agent",
          }
          : {
            name: `${name}: hooks`,
            status: "ok",
            detail: `${start} fired`,
          },
      );
    } else {
      out.push({
        name: `${name}: signals`,
        status: "ok",
        detail: profile.doctorSignals.detail,
      });
    }
  } finally {
    // An agent that outlives its window is ended first, as `stop` does.
    await profile.stopProcess?.(window.panePid).catch(() => {});
    await tmux.killWindow(window.windowId);
    if ((await tmux.listPanes({ sessionId: hub })).length <= 1) {
      await tmux.exec(["kill-session", "-t", hub]);
    }
  }
  return out;
}

/** Whether the events file holds a signal the agent means as its start. */
async function sessionStarted(
  profile: AgentProfile,
  events: string,
): Promise<boolean> {
  const text = await Deno.readTextFile(events).catch(() => "");
  return text.split("\n").some((line) => {
    try {
      const raw = JSON.parse(line) as SignalEvent;
      return typeof raw?.event === "string" &&
        profile.signal(raw, { agentSessionId: null })?.kind ===
          "session_started";
    } catch {
      return false;
    }
  });
}
