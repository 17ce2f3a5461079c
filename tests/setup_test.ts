/**
 * The README's first two commands work on a fresh copy of the project with
 * an empty Deno cache and no agents installed: they install what is missing
 * (Deno and the agents from npm) and run the demo, then every test.
 *
 * The nested test run skips this file (AIMAX_SETUP_TEST_NESTED), or it
 * would run itself forever. The nested run of the whole suite is slow and
 * only proves the set-up, so it runs where `CI` is set; the demo command
 * runs everywhere.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "./support/world.ts";

const nested = Deno.env.get("AIMAX_SETUP_TEST_NESTED") === "1";
const ci = (Deno.env.get("CI") ?? "") !== "";
const decoder = new TextDecoder();

async function readmeCommands(): Promise<string[]> {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const block = readme.match(/```sh\n([\s\S]*?)```/)![1];
  return block.split("\n").filter((l) => l.trim() !== "").map((l) =>
    l.replace(/\s+#.*$/, "")
  );
}

async function scratchCopy(): Promise<string> {
  const dir = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-setup-" }),
  );
  // Tests that drop privileges (to user nobody) must reach the copy.
  await Deno.chmod(dir, 0o755);
  const list = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  for (const file of decoder.decode(list.stdout).split("\0")) {
    if (file === "") continue;
    try {
      const target = join(dir, "repo", file);
      await Deno.mkdir(join(target, ".."), { recursive: true });
      await Deno.copyFile(join(ROOT, file), target);
      const mode = (await Deno.stat(join(ROOT, file))).mode;
      if (mode !== null) await Deno.chmod(target, mode & 0o777);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // deleted, not committed
    }
  }
  return dir;
}

Deno.test({
  name:
    "setup: the README's two commands work from a fresh copy (empty Deno cache, no agents)",
  ignore: nested,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const [demo, test] = await readmeCommands();
    assert.equal(demo, "npm ci && npm run demo");
    assert.equal(test, "npm ci && npm test");
    const dir = await scratchCopy();
    const repo = join(dir, "repo");
    try {
      await assert.rejects(
        Deno.stat(join(repo, "node_modules")),
        "no agents installed yet",
      );
      // The machine's own environment (PATH, CA certificates), with a new
      // HOME and an empty Deno cache.
      const env: Record<string, string> = {
        HOME: join(dir, "home"),
        // Empty Deno cache; npm keeps its own download cache.
        DENO_DIR: join(dir, "deno-cache"),
        npm_config_cache: Deno.env.get("npm_config_cache") ??
          join(Deno.env.get("HOME") ?? "/root", ".npm"),
        LANG: "C.UTF-8",
        AIMAX_SETUP_TEST_NESTED: "1",
      };
      await Deno.mkdir(env.HOME);
      const run = async (command: string) => {
        const out = await new Deno.Command("bash", {
          args: ["-c", command],
          cwd: repo,
          env,
          stdout: "piped",
          stderr: "piped",
        }).output();
        return {
          code: out.code,
          text: decoder.decode(out.stdout) + decoder.decode(out.stderr),
        };
      };
      const first = await run(demo);
      assert.equal(first.code, 0, first.text.slice(-3000));
      assert.match(first.text, /Demo complete\./);
      assert.match(first.text, /Job goal accomplished: true/);
      // The conversation as `aimax history` prints it, not record types.
      assert.match(first.text, /❯ Say hello to the demo\./);
      assert.match(first.text, /ack: And a follow-up question\./);
      assert.match(first.text, /⏺ Bash: rm -f /);
      assert.doesNotMatch(first.text, /file-history-snapshot|· system:/);
      // tools/package.json's allowScripts approves the two install scripts.
      assert.doesNotMatch(first.text, /not yet covered by allowScripts/);
      await t.step({
        name:
          "npm ci && npm test (nested run of every test; only where CI is set)",
        ignore: !ci,
        fn: () => nestedRun(() => run(test)),
      });
    } finally {
      await new Deno.Command("chmod", { args: ["-R", "u+w", dir] }).output();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

async function nestedRun(
  run: () => Promise<{ code: number; text: string }>,
): Promise<void> {
  const second = await run();
  // Without colours and without the padding of captured screens (a failure
  // that prints a 200-column screen would fill the excerpt with spaces).
  // deno-lint-ignore no-control-regex
  const colourless = second.text.replace(/\x1b\[[0-9;]*m/g, "");
  const plain = colourless.replace(/[ \t]+$/gm, "");
  // Piped, deno test writes its report without colours and its header as
  // "ERRORS" without the padding a terminal gets: look for the word.
  const failures = plain.search(/^\s*ERRORS\s*$/m);
  assert.equal(
    second.code,
    0,
    failures >= 0
      ? plain.slice(failures, failures + 12_000)
      : plain.slice(-3000),
  );
  const summary = plain.match(/^ok \| (\d+) passed \| 0 failed/m);
  assert.ok(summary, plain.slice(-2000));
  assert.ok(Number(summary[1]) > 100, `ran ${summary[1]} tests`);
  // Only this test itself is skipped in the nested run; no test was
  // skipped for a missing agent.
  const ignored = plain.split("\n").filter((l) => / \.\.\. ignored/.test(l));
  assert.deepEqual(
    ignored.map((l) => l.split(" ... ")[0]),
    [
      "setup: the README's two commands work from a fresh copy (empty Deno cache, no agents)",
    ],
  );
}
