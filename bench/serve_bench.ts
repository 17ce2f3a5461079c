/**
 * Serve benchmark: N sessions' transcripts followed by one `aimax serve`
 * with one SSE client each, beside one `tail -F -n 0` on the same files in
 * the same run. Measures the server's idle CPU with every client connected,
 * its RSS after delivery, and append → event latency (p50, p99) against
 * append → line on tail's stdout.
 *
 *   deno run -A bench/serve_bench.ts [--smoke]
 *
 * Everything lives in a temp dir: HOME, the data dir (records written with
 * {@linkcode StateStore}), the transcripts (all in one directory, as an
 * agent that keeps a day's transcripts together does), and a tmux server of its own with one `sleep`
 * pane per session. The server is a subprocess (its CPU and memory are read
 * from `/proc/PID`); the SSE clients are `fetch` streams in this process,
 * each opened with `?from=0` so that it catches up before it follows.
 *
 * @module
 */
import { AGENT_PROFILES } from "../lib/agents/mod.ts";
import { join, resolve } from "node:path";
import { pollUntil } from "../lib/poll.ts";
import { type SessionRecord, StateStore } from "../lib/state.ts";
import * as report from "./report.ts";
import { eachLine, type Row, sleep, type Suite } from "./report.ts";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const TOKEN = "serve-bench-token-0123456789abcdef";
const IDS = "#{session_id},#{window_id},#{pane_id},#{pane_pid}";
const encoder = new TextEncoder();

/** Runs a command; its trimmed stdout, or an error with its stderr. */
async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdin: "null" }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
  if (!out.success) throw new Error(`${cmd} ${args[0]}: ${text(out.stderr)}`);
  return text(out.stdout);
}

/** Waits until `done()` holds; throws with `what()` after `ms`. */
async function until(done: () => boolean, what: () => string, ms = 30_000) {
  const waited = await pollUntil(done, { timeoutMs: ms, intervalMs: 5 });
  if (waited.timedOut) throw new Error(`timed out: ${what()}`);
}

/** A line the benchmark appends: session `s`, round `r` (or a warm-up). */
interface Line {
  s?: number;
  r?: number;
  warm?: boolean;
  seed?: number;
}

/** What one observer (the SSE clients, or tail) saw of the appends. */
class Seen {
  /** Append → seen, ms, one per line (the first time it was seen). */
  readonly latencies: number[] = [];
  /** How often each `s:r` line was seen. */
  readonly counts = new Map<string, number>();
  /** The sessions whose warm-up line was seen. */
  readonly warm = new Set<number>();

  /** Notes `line`, seen at `at`; `appended` has when each was written. */
  note(line: Line, at: number, appended: Map<string, number>): void {
    if (line.s === undefined) return;
    if (line.warm) this.warm.add(line.s);
    if (line.r === undefined) return;
    const key = `${line.s}:${line.r}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count === 1) this.latencies.push(at - appended.get(key)!);
  }

  /** Throws unless every appended line was seen exactly once. */
  check(name: string, appended: Map<string, number>): void {
    const missing = [...appended.keys()].filter((k) => !this.counts.has(k));
    const twice = [...this.counts].filter(([, c]) => c > 1).map(([k]) => k);
    if (missing.length || twice.length) {
      throw new Error(
        `${name}: ${missing.length} lines lost (${missing.slice(0, 5)}), ` +
          `${twice.length} delivered twice (${twice.slice(0, 5)})`,
      );
    }
  }
}

/** Writes session `i`'s record: its transcript and a real tmux pane. */
async function addSession(root: string, i: number, path: string) {
  const socket = join(root, "tmux.sock");
  const [hubId, windowId, paneId, panePid] = (await run("tmux", [
    ...["-S", socket, "new-window", "-d", "-t", "bench:", "-n", `s${i}`],
    ...["-P", "-F", IDS, "sleep", "100000"],
  ])).split(",");
  const record: SessionRecord = {
    sessionId: `s${i}`,
    backend: AGENT_PROFILES[i % AGENT_PROFILES.length].name,
    agentSessionId: null,
    jsonlPath: path,
    cwd: join(root, "work"),
    flagRoot: join(root, "work"),
    model: null,
    useProxy: false,
    displayName: null,
    tmuxSocket: socket,
    hubId,
    windowId,
    paneId,
    panePid: Number(panePid),
    startedAt: new Date().toISOString(),
    lastPromptAt: null,
    extra: {},
  };
  await new StateStore(join(root, "data")).put(record);
}

/** Starts `aimax serve --port 0 --json` in the world at `root`. */
async function startServer(root: string): Promise<Deno.ChildProcess> {
  // HOME moves: keep the caller's module cache.
  const info = JSON.parse(await run(Deno.execPath(), ["info", "--json"]));
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", join(ROOT, "mod.ts"), "serve", "--json"]
      .concat(["--port", "0"]),
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      LANG: "C.UTF-8",
      HOME: join(root, "home"),
      DENO_DIR: Deno.env.get("DENO_DIR") ?? info.denoDir,
      AIMAX_DATA_DIR: join(root, "data"),
      AIMAX_TMUX_SOCKET: join(root, "tmux.sock"),
      AIMAX_SERVE_TOKEN: TOKEN,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * The serve suite: idle CPU, RSS and SSE delivery latency (p50, p99) of one
 * server following 100 sessions (10 with `smoke`), one SSE client each.
 */
export const serveSuite: Suite = async ({ smoke, log }) => {
  const n = smoke ? 10 : 100;
  const rounds = smoke ? 10 : 5;
  const quietMs = smoke ? 2_000 : 10_000;
  const gapMs = 2;
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-serve-bench-" }),
  );
  const socket = join(root, "tmux.sock");
  const sessions = [...Array(n).keys()];
  const paths = sessions.map((i) => join(root, "transcripts", `s${i}.jsonl`));
  const files: Deno.FsFile[] = [];
  const children: Deno.ChildProcess[] = [];
  const stopping = new AbortController();
  const readers: Promise<void>[] = [];
  const follow = (
    stream: ReadableStream<Uint8Array>,
    onLine: (line: string, at: number) => void,
  ) =>
    readers.push(
      eachLine(stream, onLine).catch((error) => {
        if (!stopping.signal.aborted) log(`serve: reader failed: ${error}`);
      }),
    );
  const appended = new Map<string, number>();
  const sse = new Seen();
  const tailSeen = new Seen();
  const write = (s: number, line: Line & { pad?: string }) =>
    files[s].writeSync(encoder.encode(JSON.stringify(line) + "\n"));
  try {
    log(`serve: ${n} sessions in ${root}`);
    await Deno.mkdir(join(root, "transcripts"));
    await Deno.mkdir(join(root, "work"));
    await run("tmux", [
      ...["-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", "bench"],
      ...["sleep", "100000"],
    ]);
    for (const i of sessions) {
      await Deno.writeTextFile(paths[i], `{"seed":${i}}\n`);
      files.push(await Deno.open(paths[i], { append: true }));
      await addSession(root, i, paths[i]);
    }

    const server = await startServer(root);
    children.push(server);
    let url = "";
    let stderr = "";
    follow(server.stdout, (line) => url ||= JSON.parse(line).url);
    follow(server.stderr, (line) => stderr += line + "\n");
    await until(() => url !== "", () => `serve did not start: ${stderr}`);
    await sleep(500);
    const bare = report.memoryMiB(server.pid).rss;

    // One SSE client per session; each catches up on its seed line.
    const caughtUp = new Set<number>();
    for (const i of sessions) {
      const response = await fetch(`${url}api/sessions/s${i}/stream?from=0`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: stopping.signal,
      });
      if (!response.ok || !response.body) {
        throw new Error(`s${i}: ${response.status} ${await response.text()}`);
      }
      follow(response.body, (line, at) => {
        if (!line.startsWith("data: ")) return;
        const { value } = JSON.parse(line.slice(6)) as { value: Line };
        if (value.seed !== undefined) caughtUp.add(value.seed);
        sse.note(value, at, appended);
      });
    }
    await until(
      () => caughtUp.size === n,
      () => `${caughtUp.size}/${n} caught up`,
    );

    // One tail on every file; each line names its session, so its
    // `==> file <==` headers are skipped.
    const tail = new Deno.Command("tail", {
      args: ["-F", "-n", "0", ...paths],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    children.push(tail);
    follow(tail.stdout, (line, at) => {
      if (line.startsWith("{")) tailSeen.note(JSON.parse(line), at, appended);
    });

    // A warm-up line to each file (again every 500 ms to the late ones)
    // until both show one from every file; then the server drains.
    let warmedAt = 0;
    await until(
      () => {
        const late = sessions.filter((s) =>
          !sse.warm.has(s) || !tailSeen.warm.has(s)
        );
        if (Date.now() - warmedAt >= 500) {
          for (const s of late) write(s, { s, warm: true });
          warmedAt = Date.now();
        }
        return late.length === 0;
      },
      () =>
        `warm-up: sse ${sse.warm.size}/${n}, tail ${tailSeen.warm.size}/${n}`,
    );
    await sleep(1000);

    log(`serve: idle for ${quietMs} ms`);
    const [idle, tailIdle] = await Promise.all([
      report.idleCpuPercent(server.pid, quietMs),
      report.idleCpuPercent(tail.pid, quietMs),
    ]);

    log(`serve: ${rounds} rounds × ${n} appends, ${gapMs} ms apart`);
    const cpuBefore = report.cpuMs(server.pid);
    for (let r = 0; r < rounds; r++) {
      for (const s of sessions) {
        appended.set(`${s}:${r}`, performance.now());
        write(s, { s, r, pad: "x".repeat(200) });
        await sleep(gapMs);
      }
    }
    const total = appended.size;
    const all = () => sse.counts.size >= total && tailSeen.counts.size >= total;
    await until(all, () => "delivery", 10_000).catch(() => {}); // check() tells
    await sleep(200); // a line delivered twice would show by now
    sse.check("serve SSE", appended);
    tailSeen.check("tail -F", appended);
    const busy = report.cpuMs(server.pid) - cpuBefore;
    const memory = report.memoryMiB(server.pid);
    const tailRss = report.memoryMiB(tail.pid).rss;

    const row = (
      figure: string,
      unit: string,
      [value, tailValue]: number[],
      more: Partial<Row>,
    ): Row => ({
      group: "serve",
      figure: `serve: ${figure}, ${n} sessions`,
      value,
      unit,
      baseline: { name: "tail -F", value: tailValue },
      runs: 1,
      ...more,
    });
    const q = (p: number) =>
      [sse, tailSeen].map((seen) => report.quantile(seen.latencies, p));
    return [
      row("idle CPU", "%", [idle, tailIdle], {
        target: { max: 1 },
        note: `CPU time over ${quietMs / 1000} s, every SSE client ` +
          `connected, nothing appended (10 ms ticks)`,
      }),
      row("RSS after delivery", "MiB", [memory.rss, tailRss], {
        target: { max: 200 },
        note: `${bare.toFixed(0)} MiB before any client, peak ` +
          `${
            memory.peak.toFixed(0)
          } MiB; ${busy} ms CPU to deliver ${total} lines`,
      }),
      row("SSE delivery p50", "ms", q(0.5), {
        runs: total,
        note: `append → event read; runs = lines (${rounds} rounds × ${n} ` +
          `files, ${gapMs} ms apart), each read by its client and by tail`,
      }),
      row("SSE delivery p99", "ms", q(0.99), { runs: total }),
    ];
  } finally {
    stopping.abort();
    for (const child of children) {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
    }
    await Promise.allSettled(readers);
    for (const file of files) file.close();
    await run("tmux", ["-S", socket, "kill-server"]).catch(() => {});
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
};

if (import.meta.main) {
  const rows = await serveSuite({
    smoke: Deno.args.includes("--smoke"),
    log: console.error,
  });
  console.log(report.table(rows.map(report.judge), await report.machine()));
}
