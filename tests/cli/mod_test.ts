/**
 * The command table (`lib/cli/mod.ts`): what `aimax --help` and each
 * `aimax <command> --help` print, and that the table, and `cli.ts` with it,
 * load no command's code until the command runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { COMMANDS, mainHelp } from "../../lib/cli/mod.ts";
import { VERSION } from "../../lib/version.ts";
import { assertSnapshot } from "../support/snapshot.ts";
import { withTempDir } from "../support/temp_dir.ts";
import { callerDenoDir, ROOT } from "../support/world.ts";

interface InfoDependency {
  code?: { specifier?: string };
  isDynamic?: boolean;
}

interface InfoModule {
  specifier: string;
  dependencies?: InfoDependency[];
}

/** `deno info --json` of `entry`: each module and its dependencies. */
async function info(entry: string): Promise<Map<string, InfoDependency[]>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", join(ROOT, entry)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const modules: InfoModule[] =
    JSON.parse(new TextDecoder().decode(out.stdout)).modules;
  return new Map(modules.map((m) => [m.specifier, m.dependencies ?? []]));
}

const local = (specifier: string) => specifier.replace(`file://${ROOT}/`, "");

/**
 * What loading `entry` runs: its static imports, transitively (type-only
 * and dynamic imports left out), as paths from the root or `node:` names.
 */
async function staticallyLoaded(entry: string): Promise<string[]> {
  const graph = await info(entry);
  const root = `file://${join(ROOT, entry)}`;
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const dep of graph.get(specifier) ?? []) {
      if (!dep.isDynamic && dep.code?.specifier) visit(dep.code.specifier);
    }
  };
  visit(root);
  return [...seen].map(local).sort();
}

Deno.test("command table: aimax --help and each command's --help, as printed (snapshot)", async () => {
  const lines = [
    "== aimax --help",
    mainHelp(COMMANDS).replace(VERSION, "<VERSION>"),
  ];
  for (const command of COMMANDS) {
    lines.push(`== aimax ${command.name} --help`, command.help);
  }
  await assertSnapshot("cli_help", lines);
});

Deno.test("command table: cli.ts loads the table and no command's code (nor node:) before a command runs", async () => {
  // `aimax --version`, `--help` and `<command> --help` load exactly these;
  // a module added here makes every start of the CLI slower.
  assert.deepEqual(await staticallyLoaded("cli.ts"), [
    "cli.ts",
    "lib/agent_options.ts",
    "lib/agents/names.ts",
    "lib/cli/command.ts",
    "lib/cli/errors.ts",
    "lib/cli/mod.ts",
    "lib/cli/options.ts",
    "lib/errors.ts",
    "lib/remote/server.ts",
    "lib/serve/address.ts",
    "lib/terminal.ts",
    "lib/version.ts",
  ]);
});

Deno.test("command table: as the README installs it (--unstable-lazy-dynamic-imports), a command's run file loads when it runs", async () => {
  await withTempDir("aimax-lazy-", async (home) => {
    const run = async (args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--quiet",
          "--unstable-lazy-dynamic-imports",
          join(ROOT, "cli.ts"),
          ...args,
        ],
        env: {
          HOME: home,
          AIMAX_DATA_DIR: join(home, "data"),
          DENO_DIR: await callerDenoDir(),
        },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `${args.join(" ")}: ${stderr}`);
      return new TextDecoder().decode(out.stdout);
    };
    assert.equal((await run(["--version"])).trim(), VERSION);
    const config = JSON.parse(await run(["config", "show", "--json"]));
    assert.equal(config.config.dataDir, join(home, "data"));
    assert.match(await run(["completion", "bash"]), /_aimax\(\)/);
  });
});
