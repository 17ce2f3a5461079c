/**
 * JSONL engine benchmarks (a plain script, not `deno bench`):
 *
 *   deno run -A bench/jsonl_bench.ts [--lines 500] [--mb 100] [--runs 3]
 *
 * a. Live latency: a writer appends a timestamped line every few ms; the
 *    append-to-delivery latency of `watchJsonl` and of `tail -F -n 0` (a
 *    subprocess whose stdout is read here) is measured on the same file in
 *    the same run.
 * b. History throughput: a ~100 MB transcript-like JSONL file is read by
 *    `readJsonl`, by a plain baseline (`Deno.readTextFile` + `split("\n")` +
 *    `JSON.parse`) and by `readJsonl` with `limit: 100`; each read runs in its
 *    own subprocess, which reports its time and peak RSS (VmHWM).
 *
 * Prints a table; the last line of stdout is the results as JSON.
 *
 * @module
 */
import { join } from "node:path";
import { readJsonl } from "../lib/jsonl/reader.ts";
import { watchJsonl } from "../lib/jsonl/watcher.ts";
import { mulberry32 } from "../tests/support/prng.ts";

function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

function peakRssMiB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Child mode: one history read, measured in its own process.

if (Deno.args[0] === "--child") {
  const [, method, path] = Deno.args;
  const t0 = performance.now();
  let lines = 0;
  if (method === "readJsonl") {
    lines = (await readJsonl(path)).entries.length;
  } else if (method === "readJsonl-limit100") {
    const r = await readJsonl(path, { limit: 100 });
    lines = r.total;
  } else if (method === "baseline") {
    const text = await Deno.readTextFile(path);
    const values: unknown[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      values.push(JSON.parse(line));
    }
    lines = values.length;
  } else {
    throw new Error(`unknown method ${method}`);
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ method, ms, lines, peakRssMiB: peakRssMiB() }));
  Deno.exit(0);
}

// ---------------------------------------------------------------------------
// a. Live latency

interface LatencyResult {
  lines: number;
  intervalMs: number;
  watchJsonl: { p50: number; p99: number; max: number; received: number };
  tailF: { p50: number; p99: number; max: number; received: number };
  p50Ratio: number;
  p99Ratio: number;
}

async function liveLatency(
  dir: string,
  count: number,
  intervalMs: number,
): Promise<LatencyResult> {
  const path = join(dir, "live.jsonl");
  await Deno.writeTextFile(path, "");
  const written = new Map<number, number>();
  const watchLat: number[] = [];
  const tailLat: number[] = [];

  const stop = await watchJsonl(path, (entry) => {
    const now = performance.now();
    const seq = (entry.value as { seq: number }).seq;
    if (seq >= 0) watchLat.push(now - written.get(seq)!);
  }, { fromOffset: 0 });

  const tail = new Deno.Command("tail", {
    args: ["-F", "-n", "0", path],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let tailSeen = -2;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of tail.stdout) {
      const now = performance.now();
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line === "") continue;
        const seq = (JSON.parse(line) as { seq: number }).seq;
        tailSeen = seq;
        if (seq >= 0) tailLat.push(now - written.get(seq)!);
      }
    }
  })();

  const file = await Deno.open(path, { append: true });
  const enc = new TextEncoder();
  // Warm-up lines (seq -1) until tail has demonstrably started following.
  const deadline = Date.now() + 10_000;
  while (tailSeen !== -1) {
    if (Date.now() > deadline) throw new Error("tail -F never started");
    await file.write(enc.encode(JSON.stringify({ seq: -1 }) + "\n"));
    await sleep(50);
  }
  await sleep(50);
  const pad = "x".repeat(300);
  for (let seq = 0; seq < count; seq++) {
    const line = enc.encode(JSON.stringify({ seq, pad }) + "\n");
    written.set(seq, performance.now());
    await file.write(line);
    await sleep(intervalMs);
  }
  const end = Date.now() + 5000;
  while (
    (watchLat.length < count || tailLat.length < count) && Date.now() < end
  ) {
    await sleep(10);
  }
  file.close();
  await stop();
  tail.kill("SIGTERM");
  await tail.status;
  await reading.catch(() => {});

  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      p50: quantile(s, 0.5),
      p99: quantile(s, 0.99),
      max: s.at(-1) ?? NaN,
      received: s.length,
    };
  };
  const w = stats(watchLat);
  const t = stats(tailLat);
  return {
    lines: count,
    intervalMs,
    watchJsonl: w,
    tailF: t,
    p50Ratio: w.p50 / t.p50,
    p99Ratio: w.p99 / t.p99,
  };
}

// ---------------------------------------------------------------------------
// b. History throughput

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

interface ChildResult {
  method: string;
  ms: number;
  lines: number;
  peakRssMiB: number;
}

async function runChild(method: string, path: string): Promise<ChildResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--child", method, path],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) {
    throw new Error(
      `${method} child failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return JSON.parse(stdout.split("\n").at(-1)!);
}

// ---------------------------------------------------------------------------

const dir = await Deno.makeTempDir({ prefix: "aimax-bench-" });
try {
  const lines = arg("lines", 500);
  const intervalMs = arg("interval", 4);
  const mb = arg("mb", 100);
  const runs = arg("runs", 3);

  console.log(`a. live latency: ${lines} lines, one every ${intervalMs} ms`);
  const live = await liveLatency(dir, lines, intervalMs);
  const f = (x: number) => x.toFixed(2).padStart(8);
  console.log("   reader       p50 ms   p99 ms   max ms  received");
  for (
    const [name, s] of [["watchJsonl", live.watchJsonl], [
      "tail -F",
      live.tailF,
    ]] as const
  ) {
    console.log(
      `   ${name.padEnd(10)} ${f(s.p50)} ${f(s.p99)} ${f(s.max)}  ${
        String(s.received).padStart(8)
      }`,
    );
  }
  console.log(
    `   ratio watchJsonl/tail: p50 ${live.p50Ratio.toFixed(2)}x, p99 ${
      live.p99Ratio.toFixed(2)
    }x`,
  );

  const path = join(dir, "history.jsonl");
  const gen = await generateTranscript(path, mb * 1024 * 1024);
  const sizeMB = gen.bytes / (1024 * 1024);
  console.log(
    `\nb. history read: ${
      sizeMB.toFixed(1)
    } MiB, ${gen.lines} lines, best of ${runs} runs, each in its own process`,
  );
  const methods = ["readJsonl", "baseline", "readJsonl-limit100"];
  const history: Record<
    string,
    { ms: number; mbPerS: number; peakRssMiB: number; lines: number }
  > = {};
  for (const method of methods) {
    let best: ChildResult | undefined;
    let peak = 0;
    for (let i = 0; i < runs; i++) {
      const r = await runChild(method, path);
      if (r.lines !== gen.lines) {
        throw new Error(`${method} read ${r.lines} lines, not ${gen.lines}`);
      }
      if (!best || r.ms < best.ms) best = r;
      peak = Math.max(peak, r.peakRssMiB);
    }
    history[method] = {
      ms: best!.ms,
      mbPerS: sizeMB / (best!.ms / 1000),
      peakRssMiB: peak,
      lines: best!.lines,
    };
  }
  console.log("   method                 time ms     MiB/s  peak RSS MiB");
  for (const method of methods) {
    const h = history[method];
    console.log(
      `   ${method.padEnd(20)} ${h.ms.toFixed(0).padStart(9)} ${
        h.mbPerS.toFixed(1).padStart(9)
      } ${h.peakRssMiB.toFixed(0).padStart(13)}`,
    );
  }
  const throughputRatio = history.readJsonl.mbPerS / history.baseline.mbPerS;
  console.log(
    `   ratio readJsonl/baseline: throughput ${
      throughputRatio.toFixed(2)
    }x, peak RSS ${
      (history.readJsonl.peakRssMiB / history.baseline.peakRssMiB).toFixed(2)
    }x`,
  );
  console.log(JSON.stringify({
    live,
    history: {
      fileMiB: sizeMB,
      lines: gen.lines,
      runs,
      ...history,
      throughputRatio,
    },
  }));
} finally {
  await Deno.remove(dir, { recursive: true });
}
