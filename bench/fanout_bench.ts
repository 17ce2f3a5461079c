/**
 * Fan-out benchmark: one process following many transcripts, and `aimax
 * events` following many live sessions. Targets: every event delivered,
 * idle CPU < 1 %, RSS < 200 MB.
 *
 * A. A child process calls `watchJsonl` on N files (1,000; smoke: 100) in
 *    one directory and prints each entry; this process appends a line to
 *    every file for a few rounds and checks each line arrived exactly once.
 *    One `tail -F -q -n 0` on the same files is the baseline.
 * B. N sessions (100; smoke: 5) without real agents: state records, their
 *    own transcripts, and windows on an own tmux server whose panes show a
 *    captured idle Codex screen. `aimax events --json` follows them while
 *    Codex records are appended; tmux runs through a wrapper that logs each
 *    call.
 *
 * Figures: lines delivered, (A) CPU per appended line, then CPU over a
 * quiet period (10 s; smoke: 2 s), RSS, and (B) tmux calls per second and
 * the tmux server's CPU while idle. A line not delivered throws.
 *
 *   deno run -A bench/fanout_bench.ts [--smoke]
 *
 * @module
 */
import { join, resolve } from "node:path";
import { watchJsonl } from "../lib/jsonl/watcher.ts";
import { fakeCodexSessions } from "../tests/support/fake_codex.ts";
import {
  cpuMs,
  eachLine,
  idleCpuPercent,
  judge,
  machine,
  memoryMiB,
  type Row,
  sleep,
  type Suite,
  table,
} from "./report.ts";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const MOD = join(ROOT, "mod.ts");
const HUB = "aimax_fanout_hub";
/** The tmux wrapper: logs the subcommand (after `-S socket`), runs tmux. */
const WRAPPER = `#!/bin/sh
printf '%s\\n' "$3" >> "$AIMAX_BENCH_TMUX_LOG"
exec tmux "$@"
`;
/** A delivery making no progress this long has failed. */
const STALL_MS = 30_000;

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function row(
  fig: string,
  value: number,
  unit: string,
  more?: Partial<Row>,
): Row {
  return { group: "fan-out", figure: fig, value, unit, runs: 1, ...more };
}

/** Polls `done` every 20 ms; throws (saying `what()`) once `stalled()`. */
async function waitUntil(
  what: () => string,
  done: () => boolean,
  stalled: () => boolean,
): Promise<void> {
  while (!done()) {
    if (stalled()) throw new Error(`fan-out: no progress: ${what()}`);
    await sleep(20);
  }
}

/** Runs a program to its end: its stdout, or an error with its stderr. */
async function output(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
) {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    clearEnv: env !== undefined,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.success) return decode(out.stdout);
  throw new Error(`fan-out: ${cmd} ${args.join(" ")}: ${decode(out.stderr)}`);
}

/** Starts a program whose stdout lines go to `onLine`; keeps its stderr. */
function start(
  cmd: string,
  args: string[],
  onLine: (line: string) => void,
  env?: Record<string, string>,
) {
  const child = new Deno.Command(cmd, {
    args,
    env,
    clearEnv: env !== undefined,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr: string[] = [];
  const read = Promise.all([
    eachLine(child.stdout, onLine),
    eachLine(child.stderr, (l) => stderr.push(l)),
  ]);
  return {
    pid: child.pid,
    stderr: () => stderr.slice(-5).join("\n"),
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone already */ }
      await Promise.all([child.status, read]);
    },
  };
}

/** What one consumer received: keys, per-round counts and completion. */
class Tally {
  readonly keys = new Map<string, number>();
  readonly counts: number[] = [];
  last = performance.now();
  total = 0;
  constructor(readonly perRound: number) {}

  add(key: string, round: number): void {
    this.keys.set(key, (this.keys.get(key) ?? 0) + 1);
    this.counts[round] = (this.counts[round] ?? 0) + 1;
    this.total++;
    this.last = performance.now();
  }

  /** Throws unless each of the `appended` keys arrived exactly once. */
  check(what: string, appended: number): void {
    if (this.total === appended && this.keys.size === appended) return;
    throw new Error(
      `fan-out: ${what} delivered ${this.total} (${this.keys.size} distinct) of ${appended} appended`,
    );
  }
}

/**
 * Rounds of appends (`append(round)`: one line to each file), each waited
 * for until `tally` has all of it (throws if it stops making progress).
 */
async function appendRounds(
  rounds: number,
  append: (round: number) => Promise<void>,
  tally: Tally,
  detail: () => string,
): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await append(r);
    await waitUntil(
      () =>
        `round ${r}: ${tally.counts[r] ?? 0} of ${tally.perRound} ${detail()}`,
      () => (tally.counts[r] ?? 0) >= tally.perRound,
      () => performance.now() - Math.max(tally.last, t0) > STALL_MS,
    );
  }
}

// A. Many transcripts, one process ------------------------------------------

/** Child mode: follows `n` files in `dir`, prints `file round` per entry. */
async function childTranscripts(dir: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await watchJsonl(join(dir, `t${i}.jsonl`), ({ value }) => {
      const v = value as { f?: number; r?: number } | undefined;
      console.log(`${v?.f} ${v?.r}`);
    });
  }
  console.log("ready");
}

async function transcripts(
  n: number,
  rounds: number,
  quietMs: number,
  log: (line: string) => void,
): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "aimax-fanout-" });
  const files = Array.from({ length: n }, (_, i) => join(dir, `t${i}.jsonl`));
  for (const f of files) await Deno.writeTextFile(f, '{"start":true}\n');
  const [aimax, tailed] = [new Tally(n), new Tally(n)];
  let ready = false;
  const args = [import.meta.filename!, "--child-transcripts", dir, `${n}`];
  const running: { stop(): Promise<void> }[] = [];
  try {
    const child = start(
      Deno.execPath(),
      ["run", "-A", "--quiet", ...args],
      (l) =>
        l === "ready" ? ready = true : aimax.add(l, Number(l.split(" ")[1])),
    );
    running.push(child);
    const tail = start("tail", ["-F", "-q", "-n", "0", ...files], (l) => {
      const v = JSON.parse(l) as { f: number; r: number };
      tailed.add(`${v.f} ${v.r}`, v.r);
    });
    running.push(tail);
    const t0 = performance.now();
    await waitUntil(
      () => `watchJsonl to arm ${child.stderr()}`,
      () => ready,
      () => performance.now() - t0 > 120_000,
    );
    await sleep(1_000); // tail -F says nothing when it is ready
    const cpu0 = [cpuMs(child.pid), cpuMs(tail.pid)];
    const pad = "x".repeat(200); // about a transcript record's size
    await appendRounds(
      rounds,
      async (r) => {
        for (const [f, path] of files.entries()) {
          const line = JSON.stringify({ f, r, type: "event_msg", pad });
          await Deno.writeTextFile(path, line + "\n", { append: true });
        }
      },
      aimax,
      child.stderr,
    );
    const tailEnd = performance.now() + 5_000; // tail -F: not checked
    while (tailed.total < n * rounds && performance.now() < tailEnd) {
      await sleep(20);
    }
    const perLine = [cpuMs(child.pid) - cpu0[0], cpuMs(tail.pid) - cpu0[1]]
      .map((ms) => ms / (rounds * n));
    aimax.check("watchJsonl", n * rounds);
    await sleep(500);
    log(`transcripts: quiet for ${quietMs} ms`);
    const [idle, tailIdle] = await Promise.all(
      [child.pid, tail.pid].map((pid) => idleCpuPercent(pid, quietMs)),
    );
    const [mem, tailMem] = [memoryMiB(child.pid), memoryMiB(tail.pid)];
    const base = (value: number) => ({ name: "tail -F", value });
    const of = `${n} files`;
    return [
      row(`transcripts: delivered, ${of}`, aimax.total, "events", {
        baseline: { name: "appended", value: n * rounds },
        runs: rounds,
        note:
          `watchJsonl (shared tails) in one child process, ${n} files in one directory, ${rounds} rounds of one line per file: each delivered exactly once (checked); tail -F -q -n 0 printed ${tailed.total}`,
      }),
      row(`transcripts: CPU per appended line, ${of}`, perLine[0], "ms", {
        baseline: base(perLine[1]),
        runs: rounds,
        note: "process CPU over the rounds / lines appended (10 ms ticks)",
      }),
      row(`transcripts: idle CPU, ${of}`, idle, "%", {
        baseline: base(tailIdle),
        target: { max: 1 },
        note: `over ${quietMs / 1000} s without appends (10 ms clock ticks)`,
      }),
      row(`transcripts: RSS, ${of}`, mem.rss, "MiB", {
        baseline: base(tailMem.rss),
        target: { max: 200 },
        note: `after the rounds; peak ${mem.peak.toFixed(0)} MiB (tail -F ${
          tailMem.peak.toFixed(1)
        } MiB)`,
      }),
    ];
  } finally {
    await Promise.all(running.map((p) => p.stop()));
    await Deno.remove(dir, { recursive: true });
  }
}

// B. Many live sessions, `aimax events` -------------------------------------

/**
 * `n` fake idle Codex sessions (`tests/support/fake_codex.ts`) and the
 * environment to run aimax against them, with tmux wrapped to log each call.
 */
export async function makeWorld(n: number, root: string, socket: string) {
  const home = join(root, "home");
  await Deno.mkdir(home);
  const tmuxLog = join(root, "tmux-calls.log");
  const wrapper = join(root, "tmux-wrapper.sh");
  await Deno.writeTextFile(wrapper, WRAPPER, { mode: 0o755 });
  await Deno.writeTextFile(tmuxLog, "");
  const { data, transcripts } = await fakeCodexSessions(root, {
    n,
    prefix: "fan-",
    socket,
    hub: HUB,
  });
  const denoDir = Deno.env.get("DENO_DIR") ??
    JSON.parse(await output(Deno.execPath(), ["info", "--json"])).denoDir;
  const env = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    HOME: home,
    DENO_DIR: denoDir,
    AIMAX_DATA_DIR: data,
    AIMAX_TMUX_SOCKET: socket,
    AIMAX_TMUX_BIN: wrapper,
    AIMAX_CODEX_HUB: HUB,
    AIMAX_BENCH_TMUX_LOG: tmuxLog,
  };
  return { env, tmuxLog, transcripts };
}

/** A Codex rollout record (an agent message): one `assistant_message`. */
const AGENT_MESSAGE =
  '{"timestamp":"AT","type":"event_msg","payload":{"type":"item_completed","item":{"type":"AgentMessage","content":[{"type":"Text","text":"TEXT"}]}}}';

async function liveSessions(
  n: number,
  rounds: number,
  quietMs: number,
  log: (line: string) => void,
): Promise<Row[]> {
  log(`events: ${n} fake Codex sessions`);
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-fanout-" }),
  );
  const socket = join(root, "tmux.sock");
  const cli = (...args: string[]) => ["run", "-A", "--quiet", MOD, ...args];
  let events: ReturnType<typeof start> | undefined;
  try {
    const world = await makeWorld(n, root, socket);
    const listed = JSON.parse(
      await output(Deno.execPath(), cli("list", "--json"), world.env),
    ) as Record<string, string>[];
    const odd = listed.filter((s) => s.state !== "idle");
    if (listed.length !== n || odd.length > 0) {
      throw new Error(
        `fan-out: \`aimax list\` does not see ${n} idle sessions: ${
          JSON.stringify(odd.slice(0, 3))
        }`,
      );
    }
    const tally = new Tally(n);
    const idle = new Set<string>();
    const later: string[] = []; // state changes once all were idle
    events = start(Deno.execPath(), cli("events", "--json"), (l) => {
      const e = JSON.parse(l) as Record<string, string>;
      if (e.type === "assistant_message" && e.text) {
        tally.add(e.text, Number(e.text.split(" ")[1]));
      } else if (e.type === "state" && idle.size === n) {
        later.push(`${e.sessionId} → ${e.to}`);
      } else if (e.type === "state" && e.to === "idle") idle.add(e.sessionId);
    }, world.env);
    const t0 = performance.now();
    const detail = events.stderr;
    await waitUntil(
      () => `all idle in \`aimax events\` (${idle.size}) ${detail()}`,
      () => idle.size === n,
      () => performance.now() - t0 > 120_000,
    );
    await appendRounds(
      rounds,
      async (r) => {
        for (const [id, path] of world.transcripts) {
          const line = AGENT_MESSAGE.replace("AT", new Date().toISOString())
            .replace("TEXT", `fanout ${r} ${id}`);
          await Deno.writeTextFile(path, line + "\n", { append: true });
        }
      },
      tally,
      detail,
    );
    tally.check("aimax events", n * rounds);
    await sleep(1_500); // the checks the rounds woke finish
    const server = Number(
      await output("tmux", ["-S", socket, "display", "-p", "#{pid}"]),
    );
    log(`events: quiet for ${quietMs} ms`);
    const calls0 = (await Deno.readTextFile(world.tmuxLog)).split("\n").length;
    const q0 = performance.now();
    const [idleCpu, serverCpu] = await Promise.all(
      [events.pid, server].map((pid) => idleCpuPercent(pid, quietMs)),
    );
    const seconds = (performance.now() - q0) / 1000;
    const calls = (await Deno.readTextFile(world.tmuxLog)).split("\n")
      .slice(calls0 - 1, -1);
    const kinds = Object.entries(Object.groupBy(calls, (c) => c))
      .map(([kind, all]) => `${kind} ×${all?.length}`).join(", ");
    const mem = memoryMiB(events.pid);
    const of = `${n} sessions`;
    const changes = later.length
      ? `; then ${later.slice(0, 3).join(", ")}`
      : "";
    return [
      row(`events: delivered, ${of}`, tally.total, "events", {
        baseline: { name: "appended", value: n * rounds },
        runs: rounds,
        note:
          `\`aimax events --json\` over ${n} fake idle Codex sessions (tmux panes showing a captured idle screen, \`list\` reads them idle), ${rounds} rounds of one AgentMessage record per transcript: each event delivered exactly once (checked)${changes}`,
      }),
      row(`events: idle CPU, ${of}`, idleCpu, "%", {
        target: { max: 1 },
        note: `over ${seconds.toFixed(1)} s without records`,
      }),
      row(`events: RSS, ${of}`, mem.rss, "MiB", {
        target: { max: 200 },
        note: `peak ${mem.peak.toFixed(0)} MiB`,
      }),
      row(
        `events: tmux calls/s idle, ${of}`,
        calls.length / seconds,
        "calls/s",
        { note: `${kinds || "none"} in ${seconds.toFixed(1)} s` },
      ),
      row(`events: tmux server idle CPU, ${of}`, serverCpu, "%"),
    ];
  } finally {
    await events?.stop();
    await output("tmux", ["-S", socket, "kill-server"]).catch(() => {});
    await Deno.remove(root, { recursive: true });
  }
}

/**
 * The fan-out suite: 1,000 transcripts through `watchJsonl` beside `tail
 * -F`, and 100 live sessions through `aimax events` (smoke: 100 and 5, 2 s
 * quiet periods instead of 10 s). Throws when an appended record is not
 * delivered exactly once.
 */
export const fanoutSuite: Suite = async ({ smoke, log }) => {
  const quietMs = smoke ? 2_000 : 10_000;
  return [
    ...await transcripts(smoke ? 100 : 1_000, 3, quietMs, log),
    ...await liveSessions(smoke ? 5 : 100, 3, quietMs, log),
  ];
};

if (import.meta.main) {
  if (Deno.args[0] === "--child-transcripts") {
    await childTranscripts(Deno.args[1], Number(Deno.args[2]));
  } else {
    const smoke = Deno.args.includes("--smoke");
    const rows = await fanoutSuite({ smoke, log: console.error });
    console.log(table(rows.map(judge), await machine()));
  }
}
