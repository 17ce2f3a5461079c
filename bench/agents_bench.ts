/**
 * The agents benchmark: what aimax costs on top of driving each registered
 * agent's real TUI by hand with tmux. For each installed agent, in one
 * isolated world (its own HOME and agent home, data dir and tmux socket,
 * the loopback model stand-in and environment of its test kit in
 * `offline/`), both sides are measured in the same run:
 *
 * - **create → prompt in transcript.** By hand: the agent's own launch
 *   plan (`profile.plan`) in a new tmux window, its ready screen, the prompt
 *   pasted (`load-buffer`, `paste-buffer -p`, `send-keys Enter`, as argv;
 *   Enter again while the prompt still sits in the input box), until a new
 *   transcript under the kit's transcript folder holds the prompt's
 *   record. aimax: `createNewSession` until it resolves. It resolves once
 *   the prompt is confirmed in the transcript (a watcher armed before the
 *   paste saw the prompt's record, or the agent's conversation was
 *   discovered with the prompt as its first user message, as its profile
 *   does it). It does not report an unconfirmed first prompt, so the suite
 *   checks the transcript afterwards.
 * - **send → prompt in transcript**, on an idle session (its first turn
 *   over): a paste by hand, or `noPauseCurrentAndQueueQueryAtSession`, until
 *   a watcher on the transcript (the same one for both sides) sees the
 *   prompt's record.
 *
 * aimax runs with its default timings: the figures are what a user gets.
 * While an agent is measured, this process's environment is that agent's
 * world (the agent's window inherits it); it is restored afterwards.
 * Each figure is the median of 5 runs (1 in a smoke run), after one
 * unmeasured warm-up of each side; the sides take turns going first.
 *
 *   deno run -A bench/agents_bench.ts [--smoke]
 *
 * @module
 */
import { join, resolve } from "node:path";
import { type AgentProfile, COMMON_ENV } from "../lib/agents/agent.ts";
import { AGENT_PROFILES, profileOf } from "../lib/agents/mod.ts";
import { TmuxAgentBackend } from "../lib/backend/mod.ts";
import { configFromEnv } from "../lib/config.ts";
import type { TmuxAgentsConfig } from "../lib/config_types.ts";
import { readJsonl } from "../lib/jsonl/reader.ts";
import { endOfCompleteLines } from "../lib/jsonl/start.ts";
import { watchJsonl } from "../lib/jsonl/watcher.ts";
import { pollUntil } from "../lib/poll.ts";
import { TmuxClient } from "../lib/tmux/mod.ts";
import { type AgentName, AGENTS, TEST_KITS } from "../offline/kits.ts";
import {
  judge,
  machine,
  median,
  type Row,
  type Suite,
  table,
} from "./report.ts";

const ROOT = resolve(new URL("..", import.meta.url).pathname);

/** The agents this suite knows: one per kit in `offline/kits.ts`. */
type Agent = AgentName;

/** The two sides of every figure. */
type Side = "hand" | "aimax";

const PROFILES = Object.fromEntries(
  AGENTS.map((agent) => [agent, profileOf(TEST_KITS[agent].backend)]),
) as Record<Agent, AgentProfile>;

/** The pinned agent executables (`npm ci`). */
const BINS = Object.fromEntries(
  AGENTS.map((agent) => [
    agent,
    join(ROOT, "node_modules", ".bin", TEST_KITS[agent].bin),
  ]),
) as Record<Agent, string>;

/** The tmux session that holds the by-hand windows. */
const HAND_SESSION = "bench_by_hand";

/** How often the by-hand side looks (screen, transcripts). */
const HAND_POLL_MS = 5;

/** How often the by-hand side looks at the screen after a paste. */
const HAND_LOOK_MS = 50;

/** How often a look for an idle session comes. */
const IDLE_LOOK_MS = 50;

/** The longest wait for anything (start-up, a prompt, a turn). */
const TIMEOUT_MS = 60_000;

/**
 * Variables of the caller that would leak into the world (agent settings,
 * aimax settings, XDG homes): removed while a world is in use.
 */
const FOREIGN = {
  prefixes: [
    "AIMAX_",
    ...new Set(AGENT_PROFILES.flatMap((p) => p.envPrefixes)),
  ],
  names: new Set([
    ...AGENT_PROFILES.flatMap((p) => p.envNames).filter((n) =>
      !(COMMON_ENV as readonly string[]).includes(n)
    ),
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
  ]),
  test(name: string): boolean {
    return this.names.has(name) ||
      this.prefixes.some((prefix) => name.startsWith(prefix));
  },
};

/** One agent's isolated world. */
interface World {
  agent: Agent;
  profile: AgentProfile;
  /** aimax's config in the world (data dir, tmux socket, agent homes). */
  config: TmuxAgentsConfig;
  /** A client on the world's tmux server. */
  tmux: TmuxClient;
  /** The backend, with its default timings. */
  backend: TmuxAgentBackend;
  /** Where the agent writes its transcripts. */
  transcripts: string;
  /** The temp directory holding everything. */
  root: string;
  /** Ends the tmux server and the model stub, restores the environment, removes the files. */
  close(): Promise<void>;
}

/** A running agent session, started by hand or by aimax. */
interface Session {
  /** Its transcript. */
  transcript: string;
  /** When it was started (ms since epoch). */
  since: number;
  /** The last prompt it was given. */
  prompt: string;
  /** Its pane's visible text. */
  screen(): Promise<string>;
  /**
   * Submits a prompt: aimax's send, or a paste by hand (which returns once
   * `landed` says the prompt is in the transcript).
   *
   * @returns how often Enter was pressed again by hand (0 for aimax)
   */
  send(prompt: string, landed: () => boolean): Promise<number>;
  /** Ends it, and waits until the agent process is gone. */
  end(): Promise<void>;
}

/** How long a create took, and the session it started. */
interface Created {
  /** Until the prompt's record was in the transcript (by hand), or `createNewSession` resolved. */
  ms: number;
  /** How often Enter was pressed again by hand (0 for aimax). */
  again: number;
  session: Session;
}

/** How long a send took. */
interface Sent {
  /** Until a watcher on the transcript saw the prompt's record. */
  landedMs: number;
  /** Until the send returned. */
  returnedMs: number;
  /** How often Enter was pressed again by hand (0 for aimax). */
  again: number;
}

/**
 * Measures, for each installed agent, create and send against a TUI driven
 * by hand: two rows per agent, group `agents`.
 *
 * @param options `smoke` (1 run instead of 5) and `log` for progress
 * @returns the rows
 */
export const agentsSuite: Suite = async ({ smoke, log }) => {
  const runs = smoke ? 1 : 5;
  const rows: Row[] = [];
  for (const agent of AGENTS) {
    if (!(await installed(BINS[agent]))) {
      log(`agents: ${agent} is not installed (${BINS[agent]}), skipped`);
      continue;
    }
    rows.push(...await measureAgent(agent, { runs, log }));
  }
  return rows;
};

async function installed(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** The samples of one agent's runs. */
interface Samples {
  /** create → prompt in transcript (ms), per side. */
  create: Record<Side, number[]>;
  /** send → prompt in transcript (ms), per side. */
  send: Record<Side, number[]>;
  /** When aimax's send call returned (ms). */
  sendReturned: number[];
  /** Runs in which Enter had to be pressed again by hand: create, send. */
  handAgain: { create: number; send: number };
}

/** Both figures for one agent, in one world. */
async function measureAgent(
  agent: Agent,
  options: { runs: number; log: (line: string) => void },
): Promise<Row[]> {
  const { runs, log } = options;
  const samples: Samples = {
    create: { hand: [], aimax: [] },
    send: { hand: [], aimax: [] },
    sendReturned: [],
    handAgain: { create: 0, send: 0 },
  };
  const world = await openWorld(agent);
  try {
    log(`agents: ${agent}: warming up`);
    for (const side of ["hand", "aimax"] as const) {
      const { session } = await createSession(world, side, "warm-up");
      await waitIdle(world, session);
      await session.end();
    }
    for (let run = 0; run < runs; run++) {
      await measureRun(world, { run, samples });
      const last = (values: number[]) => ms(values.at(-1)!);
      log(
        `agents: ${agent}: run ${run + 1}/${runs}: create ${
          last(samples.create.aimax)
        } (by hand ${last(samples.create.hand)}), send ${
          last(samples.send.aimax)
        } (by hand ${last(samples.send.hand)})`,
      );
    }
  } finally {
    await world.close();
  }
  const { create, send, sendReturned, handAgain } = samples;
  return [
    {
      group: "agents",
      figure: `${agent}: create → prompt in transcript`,
      value: median(create.aimax),
      unit: "ms",
      baseline: { name: "TUI by hand", value: median(create.hand) },
      target: { maxOver: 300 },
      runs,
      note: `aimax: createNewSession until it resolved, default timings, runs ${
        runsOf(create.aimax)
      }; by hand: runs ${
        runsOf(create.hand)
      }, Enter pressed again in ${handAgain.create}/${runs}`,
    },
    {
      group: "agents",
      figure: `${agent}: send → prompt in transcript`,
      value: median(send.aimax),
      unit: "ms",
      baseline: { name: "TUI by hand", value: median(send.hand) },
      target: { maxOver: 250 },
      runs,
      note:
        `aimax: noPauseCurrentAndQueueQueryAtSession on an idle session, default timings, runs ${
          runsOf(send.aimax)
        }, the call returned after ${ms(median(sendReturned))}; by hand: runs ${
          runsOf(send.hand)
        }, Enter pressed again in ${handAgain.send}/${runs}`,
    },
  ];
}

/**
 * One run: a session on each side (the sides take turns going first), a
 * prompt sent to each once it is idle, both ended.
 */
async function measureRun(
  world: World,
  options: { run: number; samples: Samples },
): Promise<void> {
  const { run, samples } = options;
  const sides: Side[] = run % 2 === 0 ? ["hand", "aimax"] : ["aimax", "hand"];
  const sessions = new Map<Side, Session>();
  try {
    for (const side of sides) {
      const created = await createSession(world, side, `r${run}`);
      sessions.set(side, created.session);
      samples.create[side].push(created.ms);
      if (created.again > 0) samples.handAgain.create++;
      await waitIdle(world, created.session);
    }
    for (const side of sides) {
      const session = sessions.get(side)!;
      const sent = await sendPrompt(world, side, session, `r${run}`);
      samples.send[side].push(sent.landedMs);
      if (side === "aimax") samples.sendReturned.push(sent.returnedMs);
      if (sent.again > 0) samples.handAgain.send++;
      await waitIdle(world, session);
    }
  } finally {
    for (const session of sessions.values()) await session.end();
  }
}

/** Sets up an isolated world for `agent` (stub, homes, env, tmux, backend). */
async function openWorld(agent: Agent): Promise<World> {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: `aimax-bench-${agent}-` }),
  );
  const home = join(root, "home");
  const { stub, env: agentEnv } = await TEST_KITS[agent].start({
    root,
    home,
  });
  const stop = () => stub.close();
  const socket = join(root, "tmux.sock");
  // The agent's window gets its environment from this process's (the
  // profile forwards it by name), so the world's is this process's while
  // it lasts.
  const restoreEnv = useEnv({
    ...agentEnv,
    AIMAX_DATA_DIR: join(root, "data"),
    AIMAX_TMUX_SOCKET: socket,
    ...Object.fromEntries(
      AGENTS.map((a) => [PROFILES[a].binEnvVar, BINS[a]]),
    ),
  });
  const config = configFromEnv();
  const profile = PROFILES[agent];
  const tmux = new TmuxClient({ socket });
  await tmux.ensureSession(HAND_SESSION, { cwd: root });
  return {
    agent,
    profile,
    config,
    tmux,
    backend: new TmuxAgentBackend(profile, config),
    transcripts: TEST_KITS[agent].transcripts(config),
    root,
    async close() {
      try {
        // Every pane's process (agents, and the shells of the tmux
        // sessions' first windows) is gone before the files go.
        const panes = await tmux.listPanes().catch(() => []);
        await tmux.killServer().catch(() => {});
        for (const pane of panes) await gone(pane.panePid);
      } finally {
        await stop();
        restoreEnv();
        await Deno.remove(root, { recursive: true }).catch(() => {});
      }
    },
  };
}

/**
 * Replaces this process's agent and aimax variables with `vars`.
 *
 * @returns puts the environment back as it was
 */
function useEnv(vars: Record<string, string>): () => void {
  const saved = Deno.env.toObject();
  for (const name of Object.keys(saved)) {
    if (FOREIGN.test(name)) Deno.env.delete(name);
  }
  for (const [name, value] of Object.entries(vars)) Deno.env.set(name, value);
  return () => {
    for (const name of Object.keys(Deno.env.toObject())) {
      if (!(name in saved)) Deno.env.delete(name);
    }
    for (const [name, value] of Object.entries(saved)) {
      Deno.env.set(name, value);
    }
  };
}

/** Starts a session on `side` in a fresh working directory, timed. */
async function createSession(
  world: World,
  side: Side,
  label: string,
): Promise<Created> {
  const id = `${side}-${label}`;
  const cwd = join(world.root, "work", id);
  await Deno.mkdir(cwd, { recursive: true });
  const prompt = promptFor(`create ${id}`);
  return side === "hand"
    ? await createByHand(world, { id, cwd, prompt })
    : await createWithAimax(world, { id, cwd, prompt });
}

/**
 * By hand: trust and launch plan, a tmux window, the ready screen, a paste,
 * until a new transcript holds the prompt.
 */
async function createByHand(
  world: World,
  options: { id: string; cwd: string; prompt: string },
): Promise<Created> {
  const { profile, config, tmux } = world;
  const { id, cwd, prompt } = options;
  const before = new Set(await jsonlFiles(world.transcripts));
  const since = Date.now();
  const t0 = performance.now();
  await profile.recordTrust(config, cwd);
  const plan = await profile.plan({
    config,
    sessionId: id,
    cwd,
    model: null,
    useProxy: false,
    agentSessionId: null,
  });
  const hand = await tmux.ensureSession(HAND_SESSION, { cwd });
  const { paneId, windowId, panePid } = await tmux.newWindow(hand, {
    name: id,
    cwd,
    env: plan.env,
    command: plan.argv,
  });
  const screen = () => tmux.paneText(paneId);
  let trusted = false;
  await until(
    `${profile.label} ready (by hand)`,
    async () => {
      const shown = await screen();
      const state = profile.readScreen(shown);
      // A person answers a folder-trust dialog once, as aimax does.
      if (state.kind === "dialog" && state.purpose === "trust" && !trusted) {
        await tmux.sendKeys(paneId, ...profile.acceptTrustKeys(shown));
        trusted = true;
      }
      return state.kind === "input";
    },
    screen,
  );
  let transcript: string | undefined;
  const again = await submitByHand(world, { paneId, prompt }, async () => {
    transcript = await newTranscript(world, { before, prompt });
    return transcript !== undefined;
  });
  const ms = performance.now() - t0;
  return {
    ms,
    again,
    session: {
      transcript: transcript!,
      since,
      prompt,
      screen,
      send: (text, landed) =>
        submitByHand(world, { paneId, prompt: text }, landed),
      end: async () => {
        await tmux.killWindow(windowId);
        await gone(panePid);
      },
    },
  };
}

/** aimax: `createNewSession`, resolved. */
async function createWithAimax(
  world: World,
  options: { id: string; cwd: string; prompt: string },
): Promise<Created> {
  const { backend, profile } = world;
  const { id, cwd, prompt } = options;
  const since = Date.now();
  const t0 = performance.now();
  const created = await backend.createNewSession({
    sessionId: id,
    cwd,
    initialPrompt: prompt,
  });
  const ms = performance.now() - t0;
  const pane = (await world.tmux.listPanes()).find((p) => p.windowName === id);
  const transcript = created.jsonlPath;
  if (!transcript || !(await holdsPrompt(world, transcript, prompt))) {
    await backend.terminateSession(id).catch(() => {});
    throw new Error(
      `${profile.label}: createNewSession resolved without the prompt in the transcript (${transcript})`,
    );
  }
  return {
    ms,
    again: 0,
    session: {
      transcript,
      since,
      prompt,
      screen: () => backend.screen(id),
      send: async (text) => {
        const sent = await backend.noPauseCurrentAndQueueQueryAtSession({
          sessionId: id,
          prompt: text,
        });
        if (sent.delivery !== "confirmed") {
          throw new Error(`${profile.label}: the send was ${sent.delivery}`);
        }
        return 0;
      },
      end: async () => {
        await backend.terminateSession(id);
        if (pane) await gone(pane.panePid);
      },
    },
  };
}

/**
 * Sends a prompt to an idle session, timed until a watcher on its
 * transcript (armed before) sees the prompt's record.
 */
async function sendPrompt(
  world: World,
  side: Side,
  session: Session,
  label: string,
): Promise<Sent> {
  const { profile } = world;
  const prompt = promptFor(`send ${side}-${label}`);
  session.prompt = prompt;
  let landedAt = NaN;
  const stop = await watchJsonl(session.transcript, (entry) => {
    if (Number.isNaN(landedAt) && profile.promptRecord(entry.value, prompt)) {
      landedAt = performance.now();
    }
  }, { fromOffset: await endOfCompleteLines(session.transcript) });
  try {
    const t0 = performance.now();
    const again = await session.send(prompt, () => !Number.isNaN(landedAt));
    const returnedMs = performance.now() - t0;
    // The watcher stamps the time: how often this looks does not matter.
    await until(
      `the prompt in the ${profile.label} transcript (${side})`,
      () => Promise.resolve(!Number.isNaN(landedAt)),
      session.screen,
    );
    return { landedMs: landedAt - t0, returnedMs, again };
  } finally {
    await stop();
  }
}

/**
 * Submits a prompt as a person scripting tmux would: pastes it bracketed
 * and presses Enter (one tmux run, argv only), then, until `landed` says it
 * is in the transcript (checked every {@linkcode HAND_POLL_MS}), presses
 * Enter again whenever a look at the screen (every
 * {@linkcode HAND_LOOK_MS}) finds it still in the input box: some agents
 * sometimes take an Enter that follows a paste before the pasted text.
 *
 * @returns how often Enter was pressed again
 */
async function submitByHand(
  world: World,
  options: { paneId: string; prompt: string },
  landed: () => boolean | Promise<boolean>,
): Promise<number> {
  const { profile, tmux } = world;
  const { paneId, prompt } = options;
  await tmux.pasteAndPress(paneId, { text: prompt, keys: ["Enter"] });
  let again = 0;
  let lookedAt = performance.now();
  await until(
    `the prompt in the ${profile.label} transcript (by hand)`,
    async () => {
      if (await landed()) return true;
      if (performance.now() - lookedAt < HAND_LOOK_MS) return false;
      lookedAt = performance.now();
      const state = profile.readScreen(await tmux.paneText(paneId));
      if (
        state.kind === "input" && state.composer.includes(prompt.slice(0, 20))
      ) {
        await tmux.sendKeys(paneId, "Enter");
        again++;
      }
      return false;
    },
    () => tmux.paneText(paneId),
  );
  return again;
}

/**
 * Waits until process `pid` has exited (it may write its config as it
 * goes). A zombie counts as exited: Debian's tmux (built with libutempter)
 * can miss the SIGCHLD of a pane whose process ends while a window is
 * being killed, and then leaves it unreaped (tmux/tmux#311, #4559).
 */
async function gone(pid: number): Promise<void> {
  await until(`process ${pid} to exit`, async () => {
    try {
      const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
      // pid (comm) STATE …: the state follows the last ")".
      return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
    } catch {
      return true;
    }
  }, () => Promise.resolve(""));
}

/**
 * Waits until the session's turn is over: the stand-in's answer (`ack:
 * <prompt>`) is in the transcript, the transcript shows no running turn,
 * and the screen shows an empty, idle input box three looks in a row.
 */
async function waitIdle(world: World, session: Session): Promise<void> {
  const { profile } = world;
  await until(
    `${profile.label}'s answer`,
    async () =>
      (await Deno.readTextFile(session.transcript)).includes(
        `ack: ${session.prompt}`,
      ),
    session.screen,
  );
  let calm = 0;
  await until(
    `${profile.label} idle`,
    async () => {
      const state = profile.readScreen(await session.screen());
      const { entries } = await readJsonl(session.transcript, { limit: 200 });
      const working = profile.transcriptWorking?.(
        entries.map((e) => e.value),
        session.since,
      ) ?? false;
      const idle = state.kind === "input" && !state.working &&
        state.composer === "" && !working;
      calm = idle ? calm + 1 : 0;
      return calm >= 3;
    },
    session.screen,
    { intervalMs: IDLE_LOOK_MS },
  );
}

/** A new transcript (not in `before`) that holds the prompt's record. */
async function newTranscript(
  world: World,
  options: { before: ReadonlySet<string>; prompt: string },
): Promise<string | undefined> {
  for (const path of await jsonlFiles(world.transcripts)) {
    if (options.before.has(path)) continue;
    if (await holdsPrompt(world, path, options.prompt)) return path;
  }
  return undefined;
}

/** Whether the transcript at `path` holds the prompt's record. */
async function holdsPrompt(
  world: World,
  path: string,
  prompt: string,
): Promise<boolean> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return false;
  }
  if (!text.includes(prompt)) return false;
  return text.split("\n").some((line) => {
    try {
      return world.profile.promptRecord(JSON.parse(line), prompt) !==
        undefined;
    } catch {
      return false;
    }
  });
}

/** Every `.jsonl` file under `dir` (none when it does not exist yet). */
async function jsonlFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) found.push(...await jsonlFiles(path));
      else if (entry.name.endsWith(".jsonl")) found.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found;
}

/**
 * Polls `check` (every {@linkcode HAND_POLL_MS} unless told) until it
 * returns a value, failing after {@linkcode TIMEOUT_MS} with the screen.
 */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  screen: () => Promise<string>,
  options: { intervalMs?: number } = {},
): Promise<T> {
  const result = await pollUntil(check, {
    timeoutMs: TIMEOUT_MS,
    intervalMs: options.intervalMs ?? HAND_POLL_MS,
  });
  if (!result.timedOut) return result.value;
  const shown = await screen().catch(() => "(no screen)");
  throw new Error(`timed out waiting for ${what}; the screen:\n${shown}`);
}

/** A prompt no other run uses (the stand-ins answer `ack: <prompt>`). */
function promptFor(what: string): string {
  return `bench ${what} ${crypto.randomUUID().slice(0, 8)}`;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** Every run's figure, e.g. `812, 4790 ms`. */
function runsOf(values: readonly number[]): string {
  return `${values.map((v) => Math.round(v)).join(", ")} ms`;
}

if (import.meta.main) {
  const rows = await agentsSuite({
    smoke: Deno.args.includes("--smoke"),
    log: console.error,
  });
  console.log(table(rows.map(judge), await machine()));
}
