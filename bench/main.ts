/**
 * `deno task bench`: every benchmark suite, then one table (each figure,
 * its baseline measured in the same run, the ratio, the target, the machine,
 * the median of several runs).
 *
 *   deno task bench                 # the full run (several minutes)
 *   deno task bench --smoke         # a short run (CI): fewer runs, smaller sizes
 *   deno task bench --json          # the rows and the machine as JSON
 *   deno task bench --only jsonl,cli
 *
 * Suites: `jsonl` (live stream, history), `cli` (tmux calls per command,
 * `list --json`), `agents` (create and send on the real TUIs), `fanout`
 * (1,000 transcripts; sessions through `aimax events`), `serve` (sessions
 * over SSE).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { agentsSuite } from "./agents_bench.ts";
import { cliSuite } from "./cli_bench.ts";
import { fanoutSuite } from "./fanout_bench.ts";
import { jsonlSuite } from "./jsonl_bench.ts";
import { judge, machine, type Row, type Suite, table } from "./report.ts";
import { serveSuite } from "./serve_bench.ts";

/** Every suite, in the order the table lists them. */
export const SUITES: Readonly<Record<string, Suite>> = {
  jsonl: jsonlSuite,
  cli: cliSuite,
  agents: agentsSuite,
  fanout: fanoutSuite,
  serve: serveSuite,
};

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      smoke: { type: "boolean" },
      json: { type: "boolean" },
      only: { type: "string" },
    },
  });
  const names = values.only?.split(",") ?? Object.keys(SUITES);
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length) {
    console.error(
      `unknown suite: ${unknown.join(", ")} (known: ${
        Object.keys(SUITES).join(", ")
      })`,
    );
    Deno.exit(2);
  }
  const rows: Row[] = [];
  const log = (line: string) => console.error(line);
  for (const name of names) {
    log(`== ${name}`);
    rows.push(...await SUITES[name]({ smoke: values.smoke === true, log }));
  }
  const judged = rows.map(judge);
  const on = await machine();
  console.log(
    values.json
      ? JSON.stringify(
        { machine: on, smoke: values.smoke === true, rows: judged },
        null,
        2,
      )
      : table(judged, on),
  );
}
