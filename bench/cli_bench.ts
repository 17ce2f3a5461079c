/**
 * What one CLI call costs, one suite of `deno task bench`, on real Codex
 * TUIs (the lighter of the two to run many of) against the loopback model:
 *
 * - tmux processes per command (`send` to an idle session, `status`,
 *   `list`), counted through an `AIMAX_TMUX_BIN` wrapper that logs each
 *   invocation (counts, so one run is exact);
 * - `aimax list --json` with N sessions, beside its floor measured in the
 *   same run: Deno starting an empty file plus one `tmux list-panes -a`.
 *
 *   deno run -A bench/cli_bench.ts [--smoke]
 *
 * @module
 */
import { join } from "node:path";
import { create, waitIdle, waitReply } from "../tests/support/e2e_suite.ts";
import { tmuxCounter } from "../tests/support/tmux_counter.ts";
import { hasAgent, makeWorld, ROOT } from "../tests/support/world.ts";
import {
  judge,
  machine,
  median,
  type Row,
  type Suite,
  table,
} from "./report.ts";

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

    // list --json beside its floor, alternating so both see the same load.
    const empty = join(dir, "empty.ts");
    await Deno.writeTextFile(empty, "");
    const env = { ...world.env, AIMAX_TMUX_BIN: "tmux" };
    const aimax: number[] = [];
    const floor: number[] = [];
    const version: number[] = [];
    const empties: number[] = [];
    for (let i = 0; i < runs; i++) {
      log(`cli: list --json, run ${i + 1} of ${runs}`);
      const listed = await timed(Deno.execPath(), [
        "run",
        "-A",
        "--quiet",
        join(ROOT, "mod.ts"),
        "list",
        "--json",
      ], env);
      const count = (JSON.parse(listed.stdout) as unknown[]).length;
      if (count !== sessions) throw new Error(`list showed ${count} sessions`);
      aimax.push(listed.ms);
      const start = await timed(
        Deno.execPath(),
        ["run", "--quiet", empty],
        env,
      );
      const panes = await timed("tmux", [
        "-S",
        world.socket,
        "list-panes",
        "-a",
      ], env);
      floor.push(start.ms + panes.ms);
      empties.push(start.ms);
      // Loading aimax alone (what every command pays before its work).
      version.push(
        (await timed(Deno.execPath(), [
          "run",
          "-A",
          "--quiet",
          join(ROOT, "mod.ts"),
          "--version",
        ], env)).ms,
      );
    }
    rows.push({
      group: "cli",
      figure: `list --json, ${sessions} sessions`,
      value: median(aimax),
      unit: "ms",
      baseline: { name: "deno empty + list-panes", value: median(floor) },
      target: { maxRatio: 2 },
      runs,
      note:
        "`deno run -A mod.ts list --json` (from source, as `deno run jsr:@aimax/cli` runs); floor = `deno run empty.ts` then `tmux list-panes -a`",
    }, {
      group: "cli",
      figure: "CLI start (--version): loading aimax",
      value: median(version),
      unit: "ms",
      baseline: { name: "deno empty", value: median(empties) },
      runs,
      note:
        "`deno run -A mod.ts --version`: the module graph every command loads before its own work",
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
