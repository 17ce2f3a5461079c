/**
 * The agent seam: an agent's names (backend name, label, short name,
 * program) and its raw event names and payload spellings appear only in
 * its own file in `lib/agents/`, never elsewhere in `lib/` (comments and
 * examples included), except the few lines listed in {@linkcode EXEMPT},
 * each with why. The shared harness (tests/support, offline, bench, the
 * screen-capture driver) is held to the same, outside the files that
 * belong to one agent (named for it), the model stand-ins and the kits'
 * table, with its own exemptions ({@linkcode HARNESS_EXEMPT}).
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { AGENT_PROFILES } from "../../lib/agents/mod.ts";
import { ROOT } from "../support/world.ts";

/** Words that name an agent, lower-cased (matched without regard to case). */
export function agentNames(): string[] {
  const names = new Set<string>();
  for (const profile of AGENT_PROFILES) {
    const bin = profile.config.vars.find((v) => v.env === profile.binEnvVar)
      ?.defaultText;
    for (const name of [profile.name, profile.label, profile.shortName, bin]) {
      if (name) names.add(name.toLowerCase());
    }
  }
  return [...names];
}

/** The agents' own event names and payload spellings (matched exactly). */
export function rawNames(): string[] {
  return [...new Set(AGENT_PROFILES.flatMap((p) => [...p.rawNames]))];
}

/**
 * Lines outside `lib/agents/` allowed to name an agent, by file, with the
 * exact text each must contain, and why.
 */
const EXEMPT: readonly { path: string; contains: string; why: string }[] = [
  {
    path: "lib/config.ts",
    contains: "proxy_claude.conf",
    why:
      "the documented default of AIMAX_PROXY_CHAINS_CONF, a file on users' machines (aimax's proxy setting, not an agent's): renaming it would break their setups",
  },
];

/** One line of `lib/` that names an agent. */
interface Hit {
  path: string;
  line: number;
  text: string;
  word: string;
}

async function* libFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* libFiles(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether `path` belongs to one agent or is a model stand-in, where agents'
 * names belong: a file whose name carries an agent's short name
 * (`offline/codex_home.ts`, `tests/support/fake_codex.ts`), a stand-in
 * (`offline/*_stub.ts`), or the table of test kits (`offline/kits.ts`,
 * one line per agent).
 */
function agentsOwn(path: string): boolean {
  const base = path.split("/").at(-1)!.replace(/\.ts$/, "");
  const shorts = AGENT_PROFILES.map((p) => p.shortName.toLowerCase());
  return base.split("_").some((part) => shorts.includes(part)) ||
    (path.startsWith("offline/") && base.endsWith("_stub")) ||
    path === "offline/kits.ts";
}

async function hits(
  roots: readonly string[],
  skip: (path: string) => boolean,
): Promise<Hit[]> {
  const names = agentNames().map((n) => ({
    word: n,
    re: new RegExp(escape(n), "i"),
  }));
  // A raw name that is also an English word (`Stop`) counts only quoted;
  // the others count anywhere.
  const raws = rawNames().map((n) => ({
    word: n,
    re: /^[A-Za-z][a-z]*$/.test(n)
      ? new RegExp(`["'\`]${escape(n)}["'\`]`)
      : new RegExp(`(?<![\\w-])${escape(n)}(?![\\w-])`),
  }));
  const out: Hit[] = [];
  for (const root of roots) {
    const at = join(ROOT, root);
    const files = root.endsWith(".ts")
      ? [at]
      : await Array.fromAsync(libFiles(at));
    for (const file of files) {
      const path = relative(ROOT, file);
      if (skip(path)) continue;
      const lines = (await Deno.readTextFile(file)).split("\n");
      lines.forEach((text, i) => {
        for (const { word, re } of [...names, ...raws]) {
          if (re.test(text)) {
            out.push({ path, line: i + 1, text: text.trim(), word });
            return;
          }
        }
      });
    }
  }
  return out;
}

Deno.test("seam: the names and words the test looks for are the registry's", () => {
  const names = agentNames();
  for (const profile of AGENT_PROFILES) {
    assert.ok(names.includes(profile.shortName.toLowerCase()));
    assert.ok(profile.rawNames.length > 0, `${profile.name} lists raw names`);
  }
  assert.ok(names.includes("claude") && names.includes("codex"));
  assert.ok(rawNames().includes("UserPromptSubmit"));
});

Deno.test("seam: the scan finds an agent's names in that agent's own files", async () => {
  for (const profile of AGENT_PROFILES) {
    const own = `tests/fixtures/screens/capture_${profile.shortName}.ts`;
    assert.ok(agentsOwn(own), own);
    const found = await hits([own], () => false);
    assert.ok(found.length > 0, `nothing found in ${own}`);
  }
  assert.ok(!agentsOwn("tests/fixtures/screens/capture.ts"));
  assert.ok(!agentsOwn("tests/support/e2e_suite.ts"));
});

Deno.test("seam: no agent's name or raw event spelling outside lib/agents/ in lib/", async () => {
  const found = await hits(["lib"], (p) => p.startsWith("lib/agents/"));
  const unexempt = found.filter((h) =>
    !EXEMPT.some((e) => e.path === h.path && h.text.includes(e.contains))
  ).map((h) => `${h.path}:${h.line}: ${h.word}: ${h.text}`);
  assert.deepEqual(unexempt, []);
  // Every exemption is still needed.
  const unused = EXEMPT.filter((e) =>
    !found.some((h) => e.path === h.path && h.text.includes(e.contains))
  );
  assert.deepEqual(unused, [], "exemptions that match nothing");
});

/** The shared test, bench and demo harness (built from the registry). */
const HARNESS = [
  "tests/support",
  "offline",
  "bench",
  "tests/fixtures/screens/capture.ts",
] as const;

/**
 * Harness lines allowed to name an agent, by file, with the exact text each
 * must contain, and why.
 */
const HARNESS_EXEMPT: readonly {
  path: string;
  contains: string;
  why: string;
}[] = [
  {
    path: "tests/support/memory_backend.ts",
    contains: "Claude Code's shape",
    why:
      "an in-memory stand-in for one backend, the first one: its records must be in that agent's transcript shape for the renderers under test to read them",
  },
  {
    path: "tests/support/memory_backend.ts",
    contains: 'name = "tmux-claude-code"',
    why: "the backend whose record shape it writes (above)",
  },
  ...[
    "What one CLI call costs",
    'hasAgent("codex")',
    "codex is not installed",
    'makeWorld("codex"',
    "creating Codex session",
  ].map((contains) => ({
    path: "bench/cli_bench.ts",
    contains,
    why:
      "20 real sessions of the lightest agent (Codex, one native process of about 30 MB each; a Node TUI takes about 150 MB): a CLI call's cost does not depend on the agent",
  })),
  ...[
    "captured idle Codex screen",
    "Codex records are appended",
    "fake_codex.ts",
    "Codex sessions",
    "fakeCodexSessions(root",
    "AIMAX_CODEX_HUB",
    "A Codex rollout record",
  ].map((contains) => ({
    path: "bench/fanout_bench.ts",
    contains,
    why:
      "hundreds of fake sessions built from one agent's captured screens and records (tests/support/fake_codex.ts): what is measured is aimax's fan-out, not an agent",
  })),
];

Deno.test("seam: no agent's name or raw event spelling in the shared harness (tests/support, offline, bench, the capture driver)", async () => {
  const found = await hits(HARNESS, agentsOwn);
  const unexempt = found.filter((h) =>
    !HARNESS_EXEMPT.some((e) =>
      e.path === h.path && h.text.includes(e.contains)
    )
  ).map((h) => `${h.path}:${h.line}: ${h.word}: ${h.text}`);
  assert.deepEqual(unexempt, []);
  const unused = HARNESS_EXEMPT.filter((e) =>
    !found.some((h) => e.path === h.path && h.text.includes(e.contains))
  );
  assert.deepEqual(unused, [], "exemptions that match nothing");
});
