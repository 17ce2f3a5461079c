/**
 * What one CLI call costs, one suite of `deno task bench`, on real Codex
 * TUIs (the lighter of the two to run many of) against the loopback model:
 *
 * - tmux processes per command (`send` to an idle session, `status`,
 *   `list`), counted through an `AIMAX_TMUX_BIN` wrapper that logs each
 *   invocation (counts, so one run is exact);
 * - `aimax list --json` with N sessions, beside its floor measured in the
 *   same run: Deno starting a one-line file plus one `tmux list-panes -a`;
 * - `aimax --version` (the CLI's start, before any command's code loads)
 *   beside Deno starting that one-line file.
 *
 * aimax runs from the source tree as the README's `deno install` line runs
 * it: `deno run -A --unstable-lazy-dynamic-imports cli.ts` (the fast entry;
 * the flag leaves reading a command's modules until it runs). A row without
 * the flag shows what Deno's default costs (it reads every module an
 * `import()` names when it starts).
 *
 *   deno run -A bench/cli_bench.ts [--smoke]
 *
 * @module
 */
import { join } from "node:path";
import { create, waitIdle, waitReply } from "../tests/support/e2e_suite.ts";
import { tmuxCounter } from "../tests/support/tmux_counter.ts";
import { hasAgent, makeWorld, ROOT } from "../tests/support/world.ts";
import { VERSION } from "../lib/version.ts";
import {
  judge,
  machine,
  median,
  type Row,
  type Suite,
  table,
} from "./report.ts";

/** What the README's `deno install` line adds to `deno run -A`. */
const LAZY = ["--unstable-lazy-dynamic-imports"];

async function timed(cmd: string, args: string[], env: Record<string, string>) {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (out.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return { ms, stdout: new TextDecoder().decode(out.stdout) };
}

/** The suite: tmux counts, then `list --json` beside its floor. */
export const cliSuite: Suite = async ({ smoke, log }) => {
  if (!hasAgent("codex")) {
    log("cli: codex is not installed (npm ci); skipped");
    return [];
  }
  const sessions = smoke ? 3 : 20;
  const runs = smoke ? 3 : 15;
  const dir = await Deno.makeTempDir({ prefix: "aimax-bench-cli-" });
  const counter = await tmuxCounter(dir);
  const world = await makeWorld("codex", {
    env: { AIMAX_TMUX_BIN: counter.wrapper },
    permissions: () => ["-A"],
  });
  const rows: Row[] = [];
  try {
    for (let i = 1; i <= sessions; i++) {
      log(`cli: creating Codex session ${i} of ${sessions}`);
      await create(world, `b${i}`, `hello b${i}`);
    }
    await waitReply(world, `b${sessions}`, `ack: hello b${sessions}`);
    for (let i = 1; i <= sessions; i++) await waitIdle(world, `b${i}`);

    const calls = async (args: string[]) => {
      await counter.reset();
      const result = await world.cli(args);
      if (result.code !== 0) throw new Error(result.stderr);
      return (await counter.calls()).length;
    };
    const counted: [string, string[], number][] = [
      ["tmux calls: status", ["status", "-s", "b1", "--json"], 1],
      [`tmux calls: list, ${sessions} sessions`, ["list", "--json"], 1],
      ["tmux calls: send to an idle session", [
        "send",
        "-s",
        "b1",
        "-p",
        "counted",
      ], 3],
    ];
    for (const [figure, args, max] of counted) {
      rows.push({
        group: "cli",
        figure,
        value: await calls(args),
        unit: "calls",
        target: { max },
        runs: 1,
      });
    }
    await waitReply(world, "b1", "ack: counted");
    await waitIdle(world, "b1");

    // list --json and --version beside their floors, alternating so all
    // see the same load.
    const oneLine = join(dir, "one_line.ts");
    await Deno.writeTextFile(oneLine, 'console.log("0.1.0");\n');
    const env = { ...world.env, AIMAX_TMUX_BIN: "tmux" };
    const aimax: number[] = [];
    const floor: number[] = [];
    const version: number[] = [];
    const eager: number[] = [];
    const oneLines: number[] = [];
    const aimaxRun = (flags: string[], args: string[]) =>
      timed(Deno.execPath(), [
        "run",
        "-A",
        "--quiet",
        ...flags,
        join(ROOT, "cli.ts"),
        ...args,
      ], env);
    const versionOf = async (flags: string[]) => {
      const started = await aimaxRun(flags, ["--version"]);
      if (started.stdout.trim() !== VERSION) {
        throw new Error(`--version printed ${started.stdout}`);
      }
      return started.ms;
    };
    for (let i = 0; i < runs; i++) {
      log(`cli: list --json, run ${i + 1} of ${runs}`);
      const listed = await aimaxRun(LAZY, ["list", "--json"]);
      const count = (JSON.parse(listed.stdout) as unknown[]).length;
      if (count !== sessions) throw new Error(`list showed ${count} sessions`);
      aimax.push(listed.ms);
      const start = await timed(
        Deno.execPath(),
        ["run", "--quiet", oneLine],
        env,
      );
      const panes = await timed("tmux", [
        "-S",
        world.socket,
        "list-panes",
        "-a",
      ], env);
      floor.push(start.ms + panes.ms);
      oneLines.push(start.ms);
      // The CLI's start alone: the command table, no command's code.
      version.push(await versionOf(LAZY));
      eager.push(await versionOf([]));
    }
    rows.push({
      group: "cli",
      figure: `list --json, ${sessions} sessions`,
      value: median(aimax),
      unit: "ms",
      baseline: { name: "deno one-line + list-panes", value: median(floor) },
      target: { maxRatio: 2 },
      runs,
      note:
        "`deno run -A --unstable-lazy-dynamic-imports cli.ts list --json` (from source); floor = `deno run one_line.ts` then `tmux list-panes -a`",
    }, {
      group: "cli",
      figure: "CLI start (--version): loading aimax",
      value: median(version),
      unit: "ms",
      baseline: { name: "deno one-line", value: median(oneLines) },
      target: { maxRatio: 1.3 },
      runs,
      note:
        "`deno run -A --unstable-lazy-dynamic-imports cli.ts --version`: the command table, what every command loads before its own code",
    }, {
      group: "cli",
      figure: "CLI start (--version), Deno's default loading",
      value: median(eager),
      unit: "ms",
      baseline: { name: "deno one-line", value: median(oneLines) },
      runs,
      note:
        "`deno run -A cli.ts --version`, without the flag: Deno also reads (not runs) every module a command's `import()` names",
    });
  } finally {
    await world.close();
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
};

if (import.meta.main) {
  const rows = await cliSuite({
    smoke: Deno.args.includes("--smoke"),
    log: (line) => console.error(line),
  });
  console.log(table(rows.map(judge), await machine()));
}
