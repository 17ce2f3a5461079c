/**
 * `deno task compat`: does this aimax work with the agents' latest
 * releases? Installs each registered agent's npm package (its test kit's
 * `npm`) at `@latest` into a scratch folder (`.work/compat/`), with the
 * install-script approvals of `tools/package.json`, runs the end-to-end
 * subset of the suite against them (the tests take the binaries from
 * `AIMAX_TEST_<AGENT>_BIN`), and prints per agent the version installed
 * and, per test module, how many of its tests passed and failed (naming
 * those that failed or were ignored), then a summary line. Run by hand
 * when a release comes out, not in CI; it needs the network for npm.
 *
 * ```sh
 * deno task compat              # every agent
 * deno task compat codex        # some, by short name
 * ```
 *
 * Exit code 0 when every test passed (or was ignored), 1 otherwise.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { profileOf } from "../lib/agents/mod.ts";
import {
  type AgentName,
  AGENTS,
  TEST_KITS,
  testBinVar,
} from "../offline/kits.ts";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const decoder = new TextDecoder();

/**
 * The end-to-end subset: each agent's own end-to-end module, the turn
 * tests on every agent, and the screens.
 */
export const COMPAT_TESTS: readonly string[] = [
  ...AGENTS.map((agent) => `tests/${agent}_e2e_test.ts`),
  "tests/turns_e2e_test.ts",
  "tests/turns_truth_e2e_test.ts",
  "tests/agents/screens_test.ts",
];

type Agent = AgentName;

/** An agent's human name (its profile's label). */
function described(agent: Agent): string {
  return profileOf(TEST_KITS[agent].backend).label;
}

/** One test's outcome as `deno test` reported it. */
export interface TestOutcome {
  /** The test module that holds it (`tests/claude_e2e_test.ts`). */
  module: string;
  /** The test's name. */
  name: string;
  /** `ok`, `FAILED` or `ignored`. */
  result: "ok" | "FAILED" | "ignored";
}

/**
 * The top-level test outcomes in `deno test`'s plain output (`NO_COLOR`):
 * lines `name ... ok (12ms)`, `name ... FAILED (3s)`, `name ... ignored`,
 * each in the module of the `running N tests from ./MODULE` line before it.
 *
 * @example
 * ```ts
 * import { parseTestOutput } from "./compat.ts";
 * parseTestOutput("running 1 test from ./tests/a_test.ts\nclaude: x ... ok (5ms)\n");
 * // [{ module: "tests/a_test.ts", name: "claude: x", result: "ok" }]
 * ```
 *
 * @param output what `deno test` printed
 */
export function parseTestOutput(output: string): TestOutcome[] {
  const out: TestOutcome[] = [];
  let module = "";
  for (const line of output.split("\n")) {
    const running = line.match(/^running \d+ tests? from \.\/(\S+)/);
    if (running) {
      module = running[1];
      continue;
    }
    const m = line.match(/^(\S.*?) \.\.\. (ok|FAILED|ignored)\b/);
    if (m) {
      out.push({ module, name: m[1], result: m[2] as TestOutcome["result"] });
    }
  }
  return out;
}

/**
 * Which agent a test is about, from its name (`claude …`, `… codex …`);
 * `undefined` for a test about several or none.
 *
 * @example
 * ```ts
 * import { agentOfTest } from "./compat.ts";
 * agentOfTest("codex turns: a queued prompt"); // "codex"
 * ```
 *
 * @param name a test's name
 */
export function agentOfTest(name: string): Agent | undefined {
  const named = AGENTS.filter((agent) =>
    new RegExp(`\\b${agent}\\b`, "i").test(name)
  );
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The report: per agent its version and, per test module, how many of its
 * tests passed, failed and were ignored (the failed and ignored ones by
 * name); then the same for the tests of neither agent; then one summary
 * line.
 *
 * @example
 * ```ts
 * import { compatReport } from "./compat.ts";
 * const outcomes = [{ module: "tests/a_test.ts", name: "claude: x", result: "ok" as const }];
 * console.log(compatReport({ claude: "2.1.332" }, outcomes).join("\n"));
 * ```
 *
 * @param versions the version installed of each agent run
 * @param outcomes the tests' outcomes
 */
export function compatReport(
  versions: Partial<Record<Agent, string>>,
  outcomes: readonly TestOutcome[],
): string[] {
  const lines: string[] = [];
  const counts = (tests: readonly TestOutcome[]) => {
    const count = (r: TestOutcome["result"]) =>
      tests.filter((t) => t.result === r).length;
    const ignored = count("ignored");
    return `${count("ok")} passed, ${count("FAILED")} failed${
      ignored > 0 ? `, ${ignored} ignored` : ""
    }`;
  };
  const block = (title: string, tests: readonly TestOutcome[]) => {
    lines.push(`${title}: ${counts(tests)}`);
    const modules = [...new Set(tests.map((t) => t.module))];
    for (const module of modules) {
      const own = tests.filter((t) => t.module === module);
      lines.push(`  ${module}: ${counts(own)}`);
      for (const t of own) {
        if (t.result === "FAILED") lines.push(`    FAIL  ${t.name}`);
        if (t.result === "ignored") lines.push(`    skip  ${t.name}`);
      }
    }
  };
  for (const agent of Object.keys(versions) as Agent[]) {
    block(
      `${described(agent)} ${versions[agent]} (${TEST_KITS[agent].npm}@latest)`,
      outcomes.filter((t) => agentOfTest(t.name) === agent),
    );
  }
  const shared = outcomes.filter((t) => agentOfTest(t.name) === undefined);
  if (shared.length > 0) block("Several agents / fixtures", shared);
  const failed = outcomes.filter((t) => t.result === "FAILED").length;
  const passed = outcomes.filter((t) => t.result === "ok").length;
  const what = Object.entries(versions).map(([a, v]) => `${a} ${v}`).join(
    ", ",
  );
  lines.push(
    `compat: ${what}: ${passed} passed, ${failed} failed of ${outcomes.length} tests${
      failed === 0 ? "" : " — see the failures above"
    }`,
  );
  return lines;
}

async function run(
  cmd: string,
  options: { args: string[]; env?: Record<string, string> },
): Promise<{ code: number; signal: string | null; out: string }> {
  const result = await new Deno.Command(cmd, {
    args: options.args,
    cwd: ROOT,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: result.code,
    signal: result.signal,
    out: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}

async function main(args: string[]): Promise<number> {
  const agents = (args.length > 0 ? args : [...AGENTS]) as Agent[];
  for (const agent of agents) {
    if (!AGENTS.includes(agent)) {
      console.error(`unknown agent "${agent}"; valid: ${AGENTS.join(", ")}`);
      return 2;
    }
  }
  const pinned = JSON.parse(
    await Deno.readTextFile(join(ROOT, "tools", "package.json")),
  );
  const scratch = join(ROOT, ".work", "compat");
  await Deno.mkdir(scratch, { recursive: true });
  await Deno.writeTextFile(
    join(scratch, "package.json"),
    // The pinned install's approvals: npm 11 runs a dependency's install
    // script only when allowScripts names it (Claude Code's postinstall
    // fetches its native binary; Gemini CLI's optional ones are declined).
    JSON.stringify({
      name: "aimax-compat",
      private: true,
      allowScripts: pinned.allowScripts ?? {},
    }) + "\n",
  );
  const packages = agents.map((a) => `${TEST_KITS[a].npm}@latest`);
  console.log(`installing ${packages.join(" ")} into ${scratch} …`);
  const install = await run("npm", {
    args: [
      "install",
      "--prefix",
      scratch,
      "--no-audit",
      "--no-fund",
      ...packages,
    ],
  });
  if (install.code !== 0) {
    console.error(install.out);
    return 1;
  }
  const versions: Partial<Record<Agent, string>> = {};
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const agent of agents) {
    const bin = join(scratch, "node_modules", ".bin", TEST_KITS[agent].bin);
    const version = await run(bin, { args: ["--version"] });
    versions[agent] = version.out.match(/\d+\.\d+\.\d+\S*/)?.[0] ?? "unknown";
    env[testBinVar(agent)] = bin;
  }
  // A test of an agent not asked for is skipped: its binary does not exist.
  for (const agent of AGENTS) {
    if (!agents.includes(agent)) {
      env[testBinVar(agent)] = join(scratch, "not-installed", agent);
    }
  }
  console.log(
    `running ${COMPAT_TESTS.join(" ")} with ${
      Object.entries(versions).map(([a, v]) => `${a} ${v}`).join(", ")
    } …`,
  );
  const tests = await run(Deno.execPath(), {
    args: ["test", "-A", ...COMPAT_TESTS],
    env,
  });
  const outcomes = parseTestOutput(tests.out);
  await Deno.writeTextFile(join(scratch, "test.out"), tests.out);
  for (const line of compatReport(versions, outcomes)) console.log(line);
  for (const module of COMPAT_TESTS) {
    if (!outcomes.some((t) => t.module === module)) {
      console.log(`compat: no test of ${module} ran (see the full output)`);
    }
  }
  if (tests.code !== 0 && outcomes.every((t) => t.result !== "FAILED")) {
    console.log(
      `compat: deno test ended with ${
        tests.signal ? `signal ${tests.signal}` : `exit code ${tests.code}`
      } without a failed test (see the full output)`,
    );
  }
  console.log(`full test output: ${join(scratch, "test.out")}`);
  if (outcomes.length === 0) {
    console.error(tests.out.slice(-3000));
    return 1;
  }
  return tests.code === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
