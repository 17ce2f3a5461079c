/**
 * JSONL engine benchmarks, one suite of `deno task bench`:
 *
 * - live stream: a writer appends a timestamped line every few ms; two
 *   child processes follow the file, `watchJsonl` (what `aimax stream` runs)
 *   and `tail -F -n 0`, each printing what it reads to a pipe; the
 *   append-to-read latency of both is measured here the same way;
 * - history: `readJsonl` with `limit: 100` (what `aimax history --limit 100`
 *   runs) on a ~100 MB transcript, beside a plain full read
 *   (`Deno.readTextFile` + `split` + `JSON.parse`), each in its own process,
 *   which reports its time and peak RSS.
 *
 *   deno run -A bench/jsonl_bench.ts [--smoke]
 *
 * @module
 */
import { join } from "node:path";
import { readJsonl } from "../lib/jsonl/reader.ts";
import { watchJsonl } from "../lib/jsonl/watcher.ts";
import { mulberry32 } from "../tests/support/prng.ts";
import {
  eachLine,
  judge,
  machine,
  median,
  quantile,
  type Row,
  sleep,
  type Suite,
  table,
} from "./report.ts";

// ---------------------------------------------------------------------------
// Child modes: one follower, or one history read, in its own process.

async function childWatch(path: string): Promise<void> {
  // Written as the CLI writes (`aimax stream`): synchronously, line by line.
  const enc = new TextEncoder();
  await watchJsonl(path, (entry) => {
    Deno.stdout.writeSync(enc.encode(JSON.stringify(entry.value) + "\n"));
  }, { fromOffset: 0 });
  await new Promise(() => {}); // until killed
}

/**
 * The least a Deno program can do to follow a file: `Deno.watchFs` on it,
 * one synchronous read per event, lines written as they come. The floor
 * under `watchJsonl` in the same runtime.
 */
async function childRaw(path: string): Promise<void> {
  const file = Deno.openSync(path);
  const buffer = new Uint8Array(1 << 20);
  let rest = new Uint8Array(0);
  for await (const _ of Deno.watchFs(path)) {
    let n: number | null;
    while ((n = file.readSync(buffer)) !== null && n > 0) {
      const chunk = new Uint8Array(rest.length + n);
      chunk.set(rest);
      chunk.set(buffer.subarray(0, n), rest.length);
      const nl = chunk.lastIndexOf(10);
      Deno.stdout.writeSync(chunk.subarray(0, nl + 1));
      rest = chunk.slice(nl + 1);
      if (n < buffer.length) break;
    }
  }
}

async function childRead(method: string, path: string): Promise<void> {
  const t0 = performance.now();
  let lines = 0;
  if (method === "limit100") {
    lines = (await readJsonl(path, { limit: 100 })).entries.length;
  } else {
    const text = await Deno.readTextFile(path);
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      JSON.parse(line);
      lines++;
    }
  }
  const ms = performance.now() - t0;
  const status = Deno.readTextFileSync("/proc/self/status");
  const peak = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]) / 1024;
  console.log(JSON.stringify({ ms, lines, peakRssMiB: peak }));
}

// ---------------------------------------------------------------------------
// Live stream latency

async function liveLatency(dir: string, count: number, intervalMs: number) {
  const path = join(dir, "live.jsonl");
  await Deno.writeTextFile(path, "");
  const written = new Map<number, number>();
  const followers = {
    watchJsonl: [
      Deno.execPath(),
      "run",
      "-A",
      import.meta.filename!,
      "--child-watch",
      path,
    ],
    "tail -F": ["tail", "-F", "-n", "0", path],
    "Deno.watchFs": [
      Deno.execPath(),
      "run",
      "-A",
      import.meta.filename!,
      "--child-raw",
      path,
    ],
  };
  const lat: Record<string, number[]> = {};
  const ready: Record<string, boolean> = {};
  const procs = Object.entries(followers).map(([name, [cmd, ...args]]) => {
    lat[name] = [];
    const child = new Deno.Command(cmd, {
      args,
      stdout: "piped",
      stderr: "null",
    })
      .spawn();
    const reading = eachLine(child.stdout, (line, at) => {
      if (line.trim() === "") return;
      const seq = (JSON.parse(line) as { seq: number }).seq;
      if (seq < 0) ready[name] = true;
      else lat[name].push(at - written.get(seq)!);
    });
    return { child, reading };
  });
  const file = await Deno.open(path, { append: true });
  const enc = new TextEncoder();
  try {
    // Warm-up lines (seq -1) until both demonstrably follow.
    const deadline = Date.now() + 20_000;
    while (Object.keys(followers).some((n) => !ready[n])) {
      if (Date.now() > deadline) throw new Error("a follower never started");
      await file.write(enc.encode(JSON.stringify({ seq: -1 }) + "\n"));
      await sleep(50);
    }
    await sleep(100);
    const pad = "x".repeat(300);
    for (let seq = 0; seq < count; seq++) {
      const line = enc.encode(JSON.stringify({ seq, pad }) + "\n");
      written.set(seq, performance.now());
      await file.write(line);
      await sleep(intervalMs);
    }
    const end = Date.now() + 5000;
    while (
      Object.values(lat).some((l) => l.length < count) && Date.now() < end
    ) {
      await sleep(10);
    }
  } finally {
    file.close();
    for (const { child, reading } of procs) {
      child.kill("SIGTERM");
      await child.status;
      await reading.catch(() => {});
    }
  }
  for (const [name, l] of Object.entries(lat)) {
    if (l.length !== count) {
      throw new Error(`${name} read ${l.length} of ${count} lines`);
    }
  }
  return {
    aimax: {
      p50: quantile(lat.watchJsonl, 0.5),
      p99: quantile(lat.watchJsonl, 0.99),
    },
    tail: {
      p50: quantile(lat["tail -F"], 0.5),
      p99: quantile(lat["tail -F"], 0.99),
    },
    raw: {
      p50: quantile(lat["Deno.watchFs"], 0.5),
      p99: quantile(lat["Deno.watchFs"], 0.99),
    },
  };
}

// ---------------------------------------------------------------------------
// History reads

const WORDS =
  "the of and to in is that for it with as was on be at by this have from or an but not are which you one all were her would there their what so up out if about who get go me when make can like time no just him know take people into year your good some could them see other than then now look only come its over think also back after use two how our work first well way even new want because any these give day most us function const return import export await async type interface error file line code test é 世界"
    .split(" ");

async function generateTranscript(path: string, targetBytes: number) {
  const rnd = mulberry32(42);
  const file = await Deno.open(path, {
    create: true,
    write: true,
    truncate: true,
  });
  const enc = new TextEncoder();
  let size = 0;
  let n = 0;
  let batch: string[] = [];
  const started = Date.parse("2025-01-01T00:00:00Z");
  while (size < targetBytes) {
    const wanted = 500 + Math.floor(rnd() * 4500);
    const words: string[] = [];
    let len = 0;
    while (len < wanted - 300) {
      const w = WORDS[Math.floor(rnd() * WORDS.length)];
      words.push(w);
      len += w.length + 1;
    }
    const role = rnd() < 0.5 ? "user" : "assistant";
    const line = JSON.stringify({
      parentUuid: n === 0 ? null : `uuid-${n - 1}`,
      isSidechain: false,
      type: role,
      uuid: `uuid-${n}`,
      timestamp: new Date(started + n * 1000).toISOString(),
      sessionId: "0b6f1c2e-3d4a-4b5c-8d9e-0123456789ab",
      cwd: "/work/project",
      message: {
        role,
        content: [{ type: "text", text: words.join(" ") }],
        usage: role === "assistant"
          ? { input_tokens: n, output_tokens: words.length }
          : undefined,
      },
    }) + "\n";
    batch.push(line);
    n++;
    if (batch.length >= 2000) {
      const bytes = enc.encode(batch.join(""));
      size += bytes.length;
      await file.write(bytes);
      batch = [];
    }
  }
  if (batch.length > 0) {
    const bytes = enc.encode(batch.join(""));
    size += bytes.length;
    await file.write(bytes);
  }
  file.close();
  return { bytes: size, lines: n };
}

async function readInChild(method: string, path: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--child-read", method, path],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`${method}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout).trim()) as {
    ms: number;
    lines: number;
    peakRssMiB: number;
  };
}

/** The suite: live stream latency, then history reads. */
export const jsonlSuite: Suite = async ({ smoke, log }) => {
  const runs = smoke ? 1 : 5;
  const lines = smoke ? 100 : 500;
  const mb = smoke ? 10 : 100;
  const dir = await Deno.makeTempDir({ prefix: "aimax-bench-jsonl-" });
  const rows: Row[] = [];
  try {
    const p50s = {
      aimax: [] as number[],
      tail: [] as number[],
      raw: [] as number[],
    };
    const p99s = {
      aimax: [] as number[],
      tail: [] as number[],
      raw: [] as number[],
    };
    for (let i = 0; i < runs; i++) {
      log(`jsonl: live stream, run ${i + 1} of ${runs} (${lines} lines)`);
      const r = await liveLatency(dir, lines, 4);
      p50s.aimax.push(r.aimax.p50);
      p50s.tail.push(r.tail.p50);
      p99s.aimax.push(r.aimax.p99);
      p99s.tail.push(r.tail.p99);
      p50s.raw.push(r.raw.p50);
      p99s.raw.push(r.raw.p99);
    }
    const note =
      `${lines} lines, one every 4 ms; each follower a child process printing to a pipe`;
    rows.push({
      group: "jsonl",
      figure: "live stream p50 (watchJsonl)",
      value: median(p50s.aimax),
      unit: "ms",
      baseline: { name: "tail -F", value: median(p50s.tail) },
      runs,
    }, {
      group: "jsonl",
      figure: "live stream p99 (watchJsonl)",
      value: median(p99s.aimax),
      unit: "ms",
      baseline: { name: "tail -F", value: median(p99s.tail) },
      target: { maxRatio: 1.5 },
      runs,
      note,
    }, {
      group: "jsonl",
      figure: "live stream p50, Deno's floor",
      value: median(p50s.aimax),
      unit: "ms",
      baseline: { name: "raw Deno.watchFs", value: median(p50s.raw) },
      runs,
    }, {
      group: "jsonl",
      figure: "live stream p99, Deno's floor",
      value: median(p99s.aimax),
      unit: "ms",
      baseline: { name: "raw Deno.watchFs", value: median(p99s.raw) },
      runs,
      note:
        "raw Deno.watchFs: a child with one Deno.watchFs, one read per event, lines written as read: what any Deno follower pays before aimax's code runs",
    });

    const path = join(dir, "history.jsonl");
    log(`jsonl: writing a ${mb} MB transcript`);
    const gen = await generateTranscript(path, mb * 1024 * 1024);
    const size = (gen.bytes / 2 ** 20).toFixed(0);
    const limited: { ms: number[]; rss: number[] } = { ms: [], rss: [] };
    const full: { ms: number[]; rss: number[] } = { ms: [], rss: [] };
    for (let i = 0; i < runs; i++) {
      log(`jsonl: history reads, run ${i + 1} of ${runs}`);
      const a = await readInChild("limit100", path);
      if (a.lines !== 100) throw new Error(`limit 100 read ${a.lines} lines`);
      const b = await readInChild("full", path);
      if (b.lines !== gen.lines) throw new Error(`full read ${b.lines} lines`);
      limited.ms.push(a.ms);
      limited.rss.push(a.peakRssMiB);
      full.ms.push(b.ms);
      full.rss.push(b.peakRssMiB);
    }
    rows.push({
      group: "jsonl",
      figure: `history --limit 100, ${size} MB transcript`,
      value: median(limited.ms),
      unit: "ms",
      baseline: { name: "full read", value: median(full.ms) },
      target: { max: 20 },
      runs,
      note:
        "the read alone, in a fresh process; full read = Deno.readTextFile + split + JSON.parse",
    }, {
      group: "jsonl",
      figure: `history --limit 100, peak RSS`,
      value: median(limited.rss),
      unit: "MiB",
      baseline: { name: "full read", value: median(full.rss) },
      runs,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
};

if (import.meta.main) {
  if (Deno.args[0] === "--child-watch") {
    await childWatch(Deno.args[1]);
  } else if (Deno.args[0] === "--child-raw") {
    await childRaw(Deno.args[1]);
  } else if (Deno.args[0] === "--child-read") {
    await childRead(Deno.args[1], Deno.args[2]);
  } else {
    const rows = await jsonlSuite({
      smoke: Deno.args.includes("--smoke"),
      log: (line) => console.error(line),
    });
    console.log(table(rows.map(judge), await machine()));
  }
}
