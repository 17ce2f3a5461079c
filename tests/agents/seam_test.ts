/**
 * The agent seam: an agent's names (backend name, label, short name,
 * program) and its raw event names and payload spellings appear only in
 * its own file in `lib/agents/`, never elsewhere in `lib/` (comments and
 * examples included), except the few lines listed in {@linkcode EXEMPT},
 * each with why.
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

async function hits(): Promise<Hit[]> {
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
  for await (const file of libFiles(join(ROOT, "lib"))) {
    const path = relative(ROOT, file);
    if (path.startsWith("lib/agents/")) continue;
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

Deno.test("seam: no agent's name or raw event spelling outside lib/agents/ in lib/", async () => {
  const found = await hits();
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
