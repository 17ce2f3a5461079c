/**
 * mod.ts, the package's entry: its public API is a deliberate list (an
 * export added or lost by accident fails here), importing it loads the
 * library alone, and run as a program it is the CLI.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { VERSION } from "../lib/version.ts";
import { ROOT } from "./support/world.ts";

/**
 * The values mod.ts exports. A change here is a change of the public API:
 * make it on purpose, and update the README's API section with it.
 */
const PUBLIC_VALUES = [
  "AgentScreenError",
  "AimaxError",
  "AwaitingInputError",
  "FRONT_LIMITS",
  "InputError",
  "NoInputBoxError",
  "PERMISSION_MODES",
  "PreflightError",
  "SUPPORTED_BACKENDS",
  "SessionExistsError",
  "SessionNotFoundError",
  "StateCorruptError",
  "TmuxAgentBackend",
  "TmuxError",
  "UsageError",
  "VERSION",
  "backendOf",
  "configFromEnv",
  "get",
  "getConfig",
  "getState",
  "listAllSessions",
  "readJsonl",
  "resetBackends",
  "serve",
  "setConfig",
  "setRecorder",
  "subscribeEvents",
  "summarizeRecord",
  "waitForTurn",
  "watchJsonl",
];

/** The types mod.ts exports (interfaces and type aliases), likewise. */
const PUBLIC_TYPES = [
  "AgentBackend",
  "AgentEvent",
  "AgentEventBody",
  "ApproveOptions",
  "BackendTimings",
  "ChoiceKind",
  "CreateSessionOptions",
  "CreateSessionResult",
  "Delivery",
  "DenyOptions",
  "DialogAnswer",
  "DialogChoice",
  "DialogInfo",
  "DialogPurpose",
  "DiffHunk",
  "EnvReader",
  "ErrorCode",
  "FileDiff",
  "FileStatus",
  "FrontLimits",
  "HistoryOptions",
  "JsonlEntry",
  "JsonlListener",
  "JsonlReadResult",
  "JsonlResetReason",
  "MergeOptions",
  "MergeResult",
  "PermissionMode",
  "PromptPasteEvent",
  "PromptRecorder",
  "ReadJsonlOptions",
  "SendOptions",
  "SendResult",
  "ServeHandle",
  "ServeOptions",
  "ServeToken",
  "SessionBackend",
  "SessionDiff",
  "SessionMerge",
  "SessionPermission",
  "SessionRecord",
  "SessionRules",
  "SessionState",
  "SessionStatus",
  "SessionWorktree",
  "SignalEvent",
  "StateReading",
  "StreamOptions",
  "SubscribeOptions",
  "TerminateOptions",
  "TerminateResult",
  "ThoughtListener",
  "TmuxAgentsConfig",
  "AgentSettings",
  "ConfigOverrides",
  "TurnOutcome",
  "Unsubscribe",
  "WaitOptions",
  "WatchJsonlOptions",
  "WorktreeDiff",
  "WorktreeOptions",
  "WorktreeOutcome",
];

const MOD = join(ROOT, "mod.ts");
const CLI = join(ROOT, "cli.ts");

async function deno(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("mod.ts exports exactly the public values", async () => {
  const mod = await import("../mod.ts");
  assert.deepEqual(Object.keys(mod).sort(), [...PUBLIC_VALUES].sort());
});

Deno.test("mod.ts exports exactly the public names, types included (deno doc)", async () => {
  const out = await deno(["doc", "--json", MOD]);
  assert.equal(out.code, 0, out.stderr);
  const doc = JSON.parse(out.stdout) as {
    nodes: Record<string, { symbols: { name: string }[] }>;
  };
  const names = doc.nodes[`file://${MOD}`].symbols.map((s) => s.name);
  assert.deepEqual(
    names.sort(),
    [...PUBLIC_VALUES, ...PUBLIC_TYPES].sort(),
  );
});

Deno.test("mod.ts exports none of the CLI's entry points", async () => {
  const mod: Record<string, unknown> = await import("../mod.ts");
  for (const name of ["main", "EXIT", "CliIo"]) {
    assert.equal(name in mod, false, name);
  }
  const cli: Record<string, unknown> = await import("../cli.ts");
  for (const name of ["main", "EXIT"]) assert.ok(name in cli, name);
});

Deno.test("mod.ts's static imports reach no CLI module; cli.ts is imported dynamically", async () => {
  const out = await deno(["info", "--json", MOD]);
  assert.equal(out.code, 0, out.stderr);
  const info = JSON.parse(out.stdout) as {
    modules: {
      specifier: string;
      dependencies?: {
        isDynamic?: boolean;
        code?: { specifier?: string };
        type?: { specifier?: string };
      }[];
    }[];
  };
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const root = `file://${MOD}`;
  const reached = new Set<string>();
  const visit = (specifier: string) => {
    if (reached.has(specifier)) return;
    reached.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      if (dep.isDynamic) continue;
      for (const next of [dep.code?.specifier, dep.type?.specifier]) {
        if (next) visit(next);
      }
    }
  };
  visit(root);
  const cliModules = [...reached].filter((s) =>
    s === `file://${CLI}` || s.startsWith(`file://${ROOT}/lib/cli/`)
  );
  assert.deepEqual(cliModules, []);
  const dynamic = (modules.get(root)?.dependencies ?? [])
    .filter((d) => d.isDynamic).map((d) => d.code?.specifier);
  assert.deepEqual(dynamic, [`file://${CLI}`]);
});

Deno.test("importing mod.ts does not start the CLI", async () => {
  const out = await deno([
    "eval",
    `const mod = await import(${JSON.stringify(`file://${MOD}`)});` +
    `console.log(typeof mod.get, mod.VERSION);`,
  ]);
  assert.equal(out.stderr, "");
  assert.equal(out.stdout, `function ${VERSION}\n`);
  assert.equal(out.code, 0);
});

Deno.test("run as the program, mod.ts is the CLI, as cli.ts is", async () => {
  for (const args of [["--version"], ["--help"], ["no-such-command"]]) {
    const viaMod = await deno(["run", "--quiet", "-A", MOD, ...args]);
    const viaCli = await deno(["run", "--quiet", "-A", CLI, ...args]);
    assert.deepEqual(viaMod, viaCli, args.join(" "));
  }
  const version = await deno(["run", "--quiet", "-A", MOD, "--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, new RegExp(VERSION.replaceAll(".", "\\.")));
});

Deno.test("the README's API section names every public export", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const start = readme.indexOf("\n### API\n");
  assert.ok(start >= 0, "README.md has an API section");
  const end = readme.indexOf("\n## ", start);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const missing = [...PUBLIC_VALUES, ...PUBLIC_TYPES].filter((name) =>
    !section.includes(`\`${name}\``)
  );
  assert.deepEqual(missing, []);
});
