/**
 * The benchmarks' common ground: a result row (a figure, its baseline
 * measured in the same run, the ratio, the target), the statistics (median,
 * quantiles), process CPU and memory readings, the machine, and the one
 * table (or JSON document) `deno task bench` prints.
 *
 * @module
 */

/** One measured figure, beside its baseline from the same run. */
export interface Row {
  /** The group it belongs to (`tmux`, `cli`, `jsonl`, `agents`, …). */
  group: string;
  /** What was measured, in a few words. */
  figure: string;
  /** aimax's figure (a median of `runs` unless said otherwise). */
  value: number;
  /** Its unit: `ms`, `calls`, `%`, `MiB`, `events`. */
  unit: string;
  /** The baseline measured in the same run, if any. */
  baseline?: { name: string; value: number };
  /**
   * How the figure is judged: `value / baseline ≤ maxRatio`, `value −
   * baseline ≤ maxOver`, or `value ≤ max`.
   */
  target?: { maxRatio?: number; maxOver?: number; max?: number };
  /** How many runs the figure is the median of. */
  runs: number;
  /** Anything a reader needs to read the figure right. */
  note?: string;
}

/** A row with its ratio and verdict worked out. */
export interface JudgedRow extends Row {
  /** `value / baseline`, when there is a baseline. */
  ratio?: number;
  /** Whether the target was met (`undefined`: no target). */
  met?: boolean;
}

/**
 * Works out a row's ratio and whether it meets its target.
 *
 * @param row a measured row
 */
export function judge(row: Row): JudgedRow {
  const base = row.baseline?.value;
  const ratio = base !== undefined && base > 0 ? row.value / base : undefined;
  const t = row.target;
  if (!t) return { ...row, ratio };
  const checks: boolean[] = [];
  if (t.maxRatio !== undefined && ratio !== undefined) {
    checks.push(ratio <= t.maxRatio);
  }
  if (t.maxOver !== undefined && base !== undefined) {
    checks.push(row.value - base <= t.maxOver);
  }
  if (t.max !== undefined) checks.push(row.value <= t.max);
  return {
    ...row,
    ratio,
    met: checks.length ? checks.every(Boolean) : undefined,
  };
}

/**
 * The median (upper middle for an even count; NaN when empty).
 *
 * @param values the samples
 */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The q-quantile by nearest rank (NaN when empty).
 *
 * @param values the samples (any order)
 * @param q between 0 and 1
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

/**
 * CPU time (user + system, ms) a process has used so far, from
 * `/proc/PID/stat`.
 *
 * @param pid the process (default: this one)
 */
export function cpuMs(pid: number | "self" = "self"): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces) in parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks * 10; // USER_HZ is 100 on Linux
}

/**
 * Resident memory now and at its peak (MiB), from `/proc/PID/status`.
 *
 * @param pid the process (default: this one)
 */
export function memoryMiB(
  pid: number | "self" = "self",
): { rss: number; peak: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = (name: string) =>
    Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/**
 * A process's CPU use (% of one core) over a quiet period.
 *
 * @param pid the process
 * @param ms how long to watch
 */
export async function idleCpuPercent(
  pid: number | "self",
  ms: number,
): Promise<number> {
  const before = cpuMs(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return (cpuMs(pid) - before) / (performance.now() - t0) * 100;
}

/** The machine the figures were taken on. */
export interface Machine {
  /** CPU model. */
  cpu: string;
  /** Logical CPUs. */
  cores: number;
  /** Memory (GiB). */
  memoryGiB: number;
  /** Kernel. */
  os: string;
  /** Deno's version. */
  deno: string;
  /** tmux's version. */
  tmux: string;
  /** When. */
  date: string;
}

/** Reads what the machine is. */
export async function machine(): Promise<Machine> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const tmux = await new Deno.Command("tmux", { args: ["-V"] }).output()
    .then((o) => new TextDecoder().decode(o.stdout).trim())
    .catch(() => "none");
  return {
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? Deno.build.arch,
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
    tmux,
    date: new Date().toISOString(),
  };
}

function format(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "-";
  const digits = unit === "calls" || unit === "events" ? 0 : value < 10 ? 2 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

function targetText(row: JudgedRow): string {
  const t = row.target;
  if (!t) return "";
  const parts: string[] = [];
  if (t.maxRatio !== undefined) parts.push(`≤ ${t.maxRatio}×`);
  if (t.maxOver !== undefined) parts.push(`≤ +${t.maxOver} ${row.unit}`);
  if (t.max !== undefined) parts.push(`≤ ${format(t.max, row.unit)}`);
  return parts.join(", ");
}

/**
 * The one table: each figure, its baseline, the ratio, the target, whether
 * it was met; the machine above it.
 *
 * @param rows judged rows
 * @param on the machine
 */
export function table(rows: readonly JudgedRow[], on: Machine): string {
  const head = [
    "group",
    "figure",
    "aimax",
    "baseline (same run)",
    "ratio",
    "target",
    "met",
    "runs",
  ];
  const body = rows.map((r) => [
    r.group,
    r.figure,
    format(r.value, r.unit),
    r.baseline ? `${format(r.baseline.value, r.unit)} ${r.baseline.name}` : "",
    r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`,
    targetText(r),
    r.met === undefined ? "" : r.met ? "yes" : "NO",
    String(r.runs),
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...body.map((row) => [...row[i]].length))
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => c + " ".repeat(widths[i] - [...c].length)).join("  ")
      .trimEnd();
  const notes = rows.filter((r) => r.note).map((r) =>
    `- ${r.figure}: ${r.note}`
  );
  return [
    `machine: ${on.cpu}, ${on.cores} cores, ${on.memoryGiB} GiB, ${on.os}; deno ${on.deno}, ${on.tmux}; ${on.date}`,
    "",
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    ...(notes.length ? ["", ...notes] : []),
  ].join("\n");
}

/**
 * Waits `ms` milliseconds.
 *
 * @param ms how long
 */
export const sleep = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));

/**
 * Calls `onLine` with each line of `stream` (a child's stdout) and the time
 * its chunk arrived (`performance.now()`), until the stream ends.
 *
 * @param stream the bytes
 * @param onLine receives each line (a last one without newline too)
 */
export async function eachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string, at: number) => void,
): Promise<void> {
  let rest = "";
  let at = performance.now();
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    at = performance.now();
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    for (const line of lines) onLine(line, at);
  }
  if (rest) onLine(rest, at);
}

/** What every benchmark suite gets. */
export interface SuiteOptions {
  /** A short run (CI's smoke run): fewer runs, smaller sizes. */
  smoke: boolean;
  /** Progress for people (stderr). */
  log: (line: string) => void;
}

/** A benchmark suite: measures and returns its rows. */
export type Suite = (options: SuiteOptions) => Promise<Row[]>;
