/**
 * Bad input, table-driven, through the CLI (and the library): each value is
 * refused with exit code 2 and a reason, or neutralised; nothing is created
 * by a refusal (no tmux server, no state file, no model request).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { claudeProfile } from "../lib/agents/claude.ts";
import { TmuxAgentBackend } from "../lib/backend/mod.ts";
import { configFromEnv } from "../lib/config.ts";
import { InputError } from "../lib/errors.ts";
import { MAX_PROMPT_BYTES } from "../lib/inputs.ts";
import { create, history, userPrompts, waitIdle } from "./support/e2e_suite.ts";
import {
  type CliResult,
  hasAgent,
  json,
  ROOT,
  waitFor,
  type World,
  type WorldOptions,
  worldTest,
} from "./support/world.ts";

// deno-lint-ignore no-explicit-any
type Rec = any;

const ignore = !hasAgent("claude");
const encoder = new TextEncoder();

function test(
  name: string,
  fn: (world: World) => Promise<void>,
  options: WorldOptions = {},
): void {
  worldTest("claude", `bad input: ${name}`, fn, options);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs CLI calls a few at a time (2 cores: more only queue up). */
async function runAll(
  world: World,
  calls: { args: string[]; stdin?: string }[],
): Promise<CliResult[]> {
  const results: CliResult[] = [];
  for (let i = 0; i < calls.length; i += 4) {
    results.push(
      ...await Promise.all(
        calls.slice(i, i + 4).map((c) => world.cli(c.args, { stdin: c.stdin })),
      ),
    );
  }
  return results;
}

/** A refusal: the exit code, one `aimax: <reason>` line matching `reason`. */
function assertRefused(
  what: string,
  r: CliResult,
  reason: RegExp,
  code = 2,
): void {
  assert.equal(r.code, code, `${what}: exit ${r.code}: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `${what}: one line: ${r.stderr}`);
  assert.match(lines[0], /^aimax: \S/, what);
  assert.match(lines[0], reason, what);
}

/** Nothing was created: no tmux server, no state file, no model request. */
async function assertNothingCreated(world: World): Promise<void> {
  assert.notEqual(
    (await world.tmux(["list-sessions"])).code,
    0,
    "no tmux server was started",
  );
  assert.equal(
    await exists(join(world.dataDir, "hub-runtime.json")),
    false,
    "no state file",
  );
  assert.equal(
    world.stub.requests.filter((r) => r.method === "POST").length,
    0,
    "no model request",
  );
  assert.equal(await exists(join(world.cwd, ".imac")), false, "no flag dir");
}

const BAD_IDS: [string, string][] = [
  ["slash", "/"],
  ["path", "../x"],
  ["dot-dot", ".."],
  ["dot", "."],
  ["colon", ":"],
  ["tmux target", "hub:0.1"],
  ["pane id", "%1"],
  ["window id", "@1"],
  ["space", "a b"],
  ["single quote", "a'b"],
  ["double quote", 'a"b'],
  ["command substitution", "$(touch pwned)"],
  ["backticks", "`touch pwned`"],
  ["semicolon", "a;b"],
  ["newline", "a\nb"],
  ["leading dash", "-rf"],
  ["leading double dash", "--help"],
  ["non-ASCII", "sessión"],
  ["empty", ""],
  ["1,000 characters", "x".repeat(1000)],
  ["65 characters", "x".repeat(65)],
];

test(`${BAD_IDS.length} unsafe session ids are refused by every command (CLI and library)`, async (world) => {
  const calls: { what: string; args: string[] }[] = [];
  for (const [what, id] of BAD_IDS) {
    const s = `--session=${id}`;
    calls.push(
      {
        what: `create ${what}`,
        args: [
          "create",
          "-b",
          world.backend,
          s,
          "--cwd",
          world.cwd,
          "-p",
          "x",
        ],
      },
      { what: `send ${what}`, args: ["send", s, "-p", "x"] },
      { what: `pause ${what}`, args: ["pause", s, "-p", "x"] },
      { what: `stop ${what}`, args: ["stop", s] },
      { what: `status ${what}`, args: ["status", s] },
      { what: `history ${what}`, args: ["history", s] },
      { what: `stream ${what}`, args: ["stream", s] },
      {
        what: `send -b ${what}`,
        args: ["send", "-b", world.backend, s, "-p", "x"],
      },
    );
  }
  const results = await runAll(world, calls);
  results.forEach((r, i) =>
    assertRefused(
      calls[i].what,
      r,
      /invalid session id|--session is required/,
    )
  );

  // The library refuses the same ids (and non-strings) with an InputError.
  const backend = new TmuxAgentBackend(
    claudeProfile,
    configFromEnv((name) => world.env[name]),
  );
  const ids: unknown[] = [
    ...BAD_IDS.map(([, id]) => id),
    "a\0b",
    "_hub",
    undefined,
    null,
    42,
    ["a"],
  ];
  for (const id of ids) {
    const sessionId = id as string;
    const show = JSON.stringify(id) ?? String(id);
    await assert.rejects(
      backend.createNewSession({
        sessionId,
        cwd: world.cwd,
        initialPrompt: "x",
      }),
      InputError,
      `create ${show}`,
    );
    await assert.rejects(
      backend.noPauseCurrentAndQueueQueryAtSession({ sessionId, prompt: "x" }),
      InputError,
      `send ${show}`,
    );
    await assert.rejects(
      backend.terminateSession(sessionId),
      InputError,
      `stop ${show}`,
    );
    await assert.rejects(backend.isAlive(sessionId), InputError);
  }
  await assertNothingCreated(world);
  assert.equal(await exists(join(world.root, "pwned")), false);
});

test("unusable working directories are refused", async (world) => {
  const file = join(world.root, "a-file");
  await Deno.writeTextFile(file, "not a directory");
  const cases: [string, string, RegExp][] = [
    ["missing", join(world.root, "missing"), /cwd .* does not exist/],
    ["a file", file, /cwd .* is not a directory/],
    ["relative", "work", /cwd must be an absolute path/],
    ["dot-relative", "./work", /cwd must be an absolute path/],
    ["tilde (not expanded)", "~/work", /cwd must be an absolute path/],
    ["below a file", join(file, "sub"), /cwd .*(not|cannot)/],
    ["empty", "", /--cwd is required/],
  ];
  const results = await runAll(
    world,
    cases.map(([, cwd]) => ({
      args: [
        "create",
        "-b",
        world.backend,
        "-s",
        "ok",
        `--cwd=${cwd}`,
        "-p",
        "x",
      ],
    })),
  );
  results.forEach((r, i) => assertRefused(cases[i][0], r, cases[i][2]));
  // The flag root is checked the same way.
  const flagRoot = await world.cli([
    "create",
    "-b",
    world.backend,
    "-s",
    "ok",
    "--cwd",
    world.cwd,
    "--flag-root",
    "relative/flags",
    "-p",
    "x",
  ]);
  assertRefused("relative flag root", flagRoot, /flagRoot must be an absolute/);
  await assertNothingCreated(world);
});

const IS_ROOT = Deno.uid() === 0;
const SETPRIV = (() => {
  try {
    return Deno.statSync("/usr/bin/setpriv").isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: IS_ROOT && !SETPRIV
    ? "bad input: an unreadable cwd (SKIPPED: root and no setpriv to drop to nobody, where chmod 000 would not stop us)"
    : "bad input: an unreadable cwd is refused (run as nobody when we are root)",
  ignore: ignore || (IS_ROOT && !SETPRIV),
  fn: async () => {
    // As root, chmod 000 does not stop reading: the CLI runs as nobody. It
    // needs a world it can reach, so it gets one under a 0755 directory,
    // with a copy of the two npm packages it imports in its own DENO_DIR.
    const base = await Deno.makeTempDir({ prefix: "aimax-nobody-" });
    try {
      await Deno.chmod(base, 0o755);
      const locked = join(base, "locked");
      await Deno.mkdir(locked);
      await Deno.chmod(locked, 0o000);
      const denoDir = join(base, "deno");
      const info = JSON.parse(
        new TextDecoder().decode(
          (await new Deno.Command(Deno.execPath(), {
            args: ["info", "--json"],
            stdout: "piped",
          }).output()).stdout,
        ),
      );
      const npm = join(info.npmCache, "registry.npmjs.org");
      await Deno.mkdir(join(denoDir, "npm", "registry.npmjs.org"), {
        recursive: true,
      });
      for (const pkg of ["jsonc-parser", "smol-toml"]) {
        const cp = await new Deno.Command("cp", {
          args: [
            "-r",
            join(npm, pkg),
            join(denoDir, "npm", "registry.npmjs.org"),
          ],
        }).output();
        assert.equal(cp.code, 0, `copy ${pkg} for nobody`);
      }
      // The project and Deno itself may lie where nobody cannot reach (a
      // 0700 temp dir in the setup test): nobody gets its own copies.
      const app = join(base, "app");
      await Deno.mkdir(app);
      for (const f of ["mod.ts", "cli.ts", "deno.json", "deno.lock", "lib"]) {
        const cp = await new Deno.Command("cp", {
          args: ["-r", join(ROOT, f), app],
        }).output();
        assert.equal(cp.code, 0, `copy ${f} for nobody`);
      }
      const deno = join(base, "deno-bin");
      await Deno.link(Deno.execPath(), deno).catch(() =>
        Deno.copyFile(Deno.execPath(), deno)
      );
      await new Deno.Command("chmod", { args: ["-R", "a+rX", denoDir, app] })
        .output();
      const env = {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: base,
        DENO_DIR: denoDir,
        AIMAX_DATA_DIR: join(base, "data"),
        AIMAX_TMUX_SOCKET: join(base, "tmux.sock"),
      };
      const cli = [
        deno,
        "run",
        "--quiet",
        "--no-prompt",
        `--allow-read=${base}`,
        `--allow-write=${base}`,
        "--allow-env",
        "--allow-run=tmux",
        join(app, "mod.ts"),
        "create",
        "-b",
        "tmux-claude-code",
        "-s",
        "ok",
        "--cwd",
        locked,
        "-p",
        "x",
      ];
      const argv = IS_ROOT
        ? [
          "setpriv",
          "--reuid=nobody",
          "--regid=nogroup",
          "--clear-groups",
          ...cli,
        ]
        : cli;
      const out = await new Deno.Command(argv[0], {
        args: argv.slice(1),
        env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const r = {
        code: out.code,
        stdout: new TextDecoder().decode(out.stdout),
        stderr: new TextDecoder().decode(out.stderr),
      };
      if (r.code !== 2 && /^setpriv: /m.test(r.stderr)) {
        console.log(`  skipped: cannot drop to nobody here: ${r.stderr}`);
        return;
      }
      assertRefused("unreadable cwd", r, /cwd .* is not readable/);
      assert.equal(await exists(join(base, "data")), false, "no data dir");
      assert.equal(await exists(join(base, "tmux.sock")), false, "no server");
    } finally {
      await Deno.chmod(join(base, "locked"), 0o755).catch(() => {});
      await Deno.remove(base, { recursive: true });
    }
  },
});

const FLAG_LIKE = [
  "--dangerously-skip-permissions",
  "-p",
  "$(touch x)",
  ";rm -rf /",
];

test("flag- and shell-like models are refused; such display names are stored, never run; --model=<value> is one argument", async (world) => {
  const models = [...FLAG_LIKE, "a b", "", "x".repeat(129), "m\nx", "é"];
  const results = await runAll(
    world,
    models.map((model) => ({
      args: [
        "create",
        "-b",
        world.backend,
        "-s",
        "m1",
        "--cwd",
        world.cwd,
        `--model=${model}`,
        "-p",
        "x",
      ],
    })),
  );
  results.forEach((r, i) =>
    assertRefused(`model ${JSON.stringify(models[i])}`, r, /invalid model/)
  );
  // A flag as the separate value of --model is a usage error, not a model.
  const split = await world.cli([
    "create",
    "-b",
    world.backend,
    "-s",
    "m1",
    "--cwd",
    world.cwd,
    "--model",
    "-p",
    "x",
  ]);
  assert.equal(split.code, 2, split.stderr);
  const longName = await world.cli([
    "create",
    "-b",
    world.backend,
    "-s",
    "m1",
    "--cwd",
    world.cwd,
    `--display-name=${"n".repeat(201)}`,
    "-p",
    "x",
  ]);
  assertRefused(
    "201-character display name",
    longName,
    /display name too long/,
  );
  await assertNothingCreated(world);

  // Display names that look like flags or shell code: kept as text.
  const model = "claude-sonnet-4-5@20250929";
  const names = [...FLAG_LIKE, "bell\x07 and \x1b[31mred\x1b[0m"];
  const created = await Promise.all(names.map((name, i) =>
    world.cli([
      "create",
      "-b",
      world.backend,
      "-s",
      `dn${i}`,
      "--cwd",
      world.cwd,
      `--model=${model}`,
      `--display-name=${name}`,
      "-p",
      `hello dn${i}`,
      "--json",
    ])
  ));
  created.forEach((r) => assert.equal(r.code, 0, r.stderr));
  const state = JSON.parse(
    await Deno.readTextFile(join(world.dataDir, "hub-runtime.json")),
  ).sessions;
  for (const [i, name] of names.entries()) {
    const expected = i < FLAG_LIKE.length ? name : "bell  and  [31mred [0m";
    const record = state[`${world.backend}/dn${i}`];
    assert.equal(record.displayName, expected);
    assert.equal(record.model, model);
    const status = json(await world.cli(["status", "-s", `dn${i}`, "--json"]));
    assert.equal(status.displayName, expected);
    const argv = (await Deno.readTextFile(`/proc/${record.panePid}/cmdline`))
      .split("\0").filter((a) => a !== "");
    assert.ok(
      argv.includes(`--model=${model}`),
      `--model=<value> is one argument: ${JSON.stringify(argv)}`,
    );
    assert.ok(!argv.includes(model), "the model is not a separate argument");
    assert.ok(
      !argv.some((a) =>
        a.includes(name) || a === "-p" || a.startsWith("--dangerously")
      ),
      `the display name is not in the agent's argv: ${JSON.stringify(argv)}`,
    );
  }
  const text = await world.cli(["list"]);
  assert.equal(text.code, 0);
  assert.ok(text.stdout.includes("$(touch x)"), "printed as text");
  for (const dir of [world.cwd, world.root, ROOT]) {
    assert.equal(await exists(join(dir, "x")), false, `no ${dir}/x`);
  }
});

test("prompts with escape sequences, CR, NUL and invalid UTF-8 arrive as one message each; empty and oversized are refused", async (world) => {
  await create(world, "p1", "hello p1");
  await waitIdle(world, "p1");
  const file = join(world.root, "prompt.bin");
  const big = "0123456789abcdef\n".repeat(Math.ceil(64 * 1024 / 17));
  const cases: [string, Uint8Array, string][] = [
    [
      "ESC[201~ ends the bracketed paste",
      encoder.encode("one\x1b[201~\rtwo\x1b[200~three"),
      "one[201~\ntwo[200~three",
    ],
    [
      "8-bit CSI 201~",
      encoder.encode("c1 \u009b201~ then \u009b200~ text"),
      "c1 201~ then 200~ text",
    ],
    [
      "keys: arrows, Escape, Enter, Ctrl-C, Ctrl-D, Tab",
      encoder.encode("keys\x1b[A\x1b[B\x1b\r\x03\x04\tend"),
      "keys[A[B\n    end", // Claude Code stores a pasted tab as 4 spaces
    ],
    [
      "carriage returns and CRLF",
      encoder.encode("cr one\rcr two\r\ncr three\r"),
      "cr one\ncr two\ncr three",
    ],
    ["NUL bytes", encoder.encode("nul\0byte\0s"), "nulbytes"],
    [
      "invalid UTF-8",
      new Uint8Array([
        ...encoder.encode("bad "),
        0xff,
        0xfe,
        0xc3,
        ...encoder.encode(" bytes \u00e9"),
        0xed,
        0xa0,
        0x80,
      ]),
      "bad \ufffd\ufffd\ufffd bytes \u00e9\ufffd\ufffd\ufffd",
    ],
    [
      "shell code",
      encoder.encode("$(touch pwned) `touch pwned2` ; rm -rf /tmp/nothing"),
      "$(touch pwned) `touch pwned2` ; rm -rf /tmp/nothing",
    ],
    ["64 KiB, multi-line", encoder.encode(big), big.trimEnd()],
  ];
  for (const [what, bytes, expected] of cases) {
    await Deno.writeFile(file, bytes);
    const before = userPrompts((await history(world, "p1")).entries).length;
    const r = await world.cli(["send", "-s", "p1", "--prompt-file", file]);
    assert.equal(r.code, 0, `${what}: ${r.stderr}`);
    const prompts = await waitFor(`${what} in the transcript`, async () => {
      const p = userPrompts((await history(world, "p1")).entries);
      if (p.length > before) return p;
      // Thrown to be reported if the wait times out.
      throw new Error(
        `send said ${r.stdout.trim()} ${r.stderr.trim()}; screen: ${
          (await world.cli(["screen", "-s", "p1"])).stdout
        }`,
      );
    });
    assert.equal(prompts.length, before + 1, `${what}: one message`);
    assert.equal(
      prompts.at(-1)!.replace(/\s+$/, ""),
      expected,
      `${what}: arrives whole`,
    );
    await waitIdle(world, "p1");
  }
  for (const dir of [world.cwd, world.root]) {
    assert.equal(await exists(join(dir, "pwned")), false);
    assert.equal(await exists(join(dir, "pwned2")), false);
  }

  // Refused: nothing reaches the agent, no flag is raised, no state changes.
  const flag = join(world.cwd, ".imac", "flags", "p1", "running.flag");
  await Deno.remove(flag).catch(() => {});
  const stateBefore = await Deno.readTextFile(
    join(world.dataDir, "hub-runtime.json"),
  );
  const posts = world.stub.requests.length;
  const prompts = userPrompts((await history(world, "p1")).entries).length;
  const oversized: [string, Uint8Array | undefined, string | undefined][] = [
    ["empty", new Uint8Array(), undefined],
    ["blank", encoder.encode(" \n\t \r\n"), undefined],
    ["only control characters", encoder.encode("\x1b\x03\0\x7f\r"), undefined],
    ["1 MB", new Uint8Array(1024 * 1024).fill(0x61), undefined],
    [
      "just over the limit",
      new Uint8Array(MAX_PROMPT_BYTES + 1).fill(0x62),
      undefined,
    ],
    ["a missing prompt file", undefined, undefined],
  ];
  for (const [what, bytes] of oversized) {
    const path = bytes ? file : join(world.root, "no-such-prompt");
    if (bytes) await Deno.writeFile(file, bytes);
    const r = await world.cli(["send", "-s", "p1", "--prompt-file", path]);
    assertRefused(
      what,
      r,
      /prompt is empty|prompt too large|cannot read --prompt-file/,
    );
  }
  const refusedArgs = await runAll(world, [
    { args: ["send", "-s", "p1", "-p", ""] },
    { args: ["send", "-s", "p1"], stdin: "" },
    { args: ["send", "-s", "p1"], stdin: "x".repeat(300 * 1024) },
    { args: ["send", "-s", "p1", "-p", "a", "--prompt-file", file] },
  ]);
  refusedArgs.forEach((r, i) =>
    assertRefused(
      `refused #${i}`,
      r,
      /prompt is empty|prompt too large|not both/,
    )
  );
  assert.equal(world.stub.requests.length, posts, "no model request");
  assert.equal(await exists(flag), false, "no running.flag");
  assert.equal(
    await Deno.readTextFile(join(world.dataDir, "hub-runtime.json")),
    stateBefore,
  );
  assert.equal(
    userPrompts((await history(world, "p1")).entries).length,
    prompts,
  );
  const pane = JSON.parse(stateBefore).sessions[`${world.backend}/p1`].paneId;
  const screen = await world.tmux(["capture-pane", "-p", "-t", pane]);
  assert.deepEqual(
    claudeProfile.readScreen(screen.stdout),
    { kind: "input", working: false, composer: "" },
    "no text left in the input box",
  );
});

test("an empty or oversized first prompt is refused before anything starts", async (world) => {
  const file = join(world.root, "big");
  await Deno.writeFile(file, new Uint8Array(1024 * 1024).fill(0x61));
  const base = ["create", "-b", world.backend, "-s", "ok", "--cwd", world.cwd];
  const results = await runAll(world, [
    { args: [...base, "-p", ""] },
    { args: [...base, "-p", "\x1b"] },
    { args: base, stdin: "" },
    { args: [...base, "--prompt-file", file] },
    { args: [...base, "--prompt-file", join(world.root, "missing")] },
  ]);
  results.forEach((r, i) =>
    assertRefused(
      `first prompt #${i}`,
      r,
      /prompt is empty|prompt too large|cannot read --prompt-file/,
    )
  );
  await assertNothingCreated(world);
});

// Environment overrides pointing at unusable places. Each runs in a world of
// its own (the scoped permission set follows the overridden config).
const scratch = await Deno.makeTempDir({ prefix: "aimax-env-" });
const regularFile = join(scratch, "regular-file");
await Deno.writeTextFile(regularFile, "");
const ENV_CASES: {
  what: string;
  env: Record<string, string>;
  code: number;
  reason: RegExp;
  list?: { code: number; reason?: RegExp };
}[] = [
  {
    what: "AIMAX_DATA_DIR below a regular file",
    env: { AIMAX_DATA_DIR: join(regularFile, "data") },
    code: 1,
    reason: /data dir .*regular-file\/data is not usable .*AIMAX_DATA_DIR/,
    list: { code: 1, reason: /data dir .* is not usable .*AIMAX_DATA_DIR/ },
  },
  {
    what: "AIMAX_DATA_DIR is a regular file",
    env: { AIMAX_DATA_DIR: regularFile },
    code: 1,
    reason: /data dir .*regular-file is not usable .*AIMAX_DATA_DIR/,
    list: { code: 1, reason: /data dir .* is not usable .*AIMAX_DATA_DIR/ },
  },
  {
    what: "AIMAX_CLAUDE_BIN missing",
    env: { AIMAX_CLAUDE_BIN: join(scratch, "missing", "claude") },
    code: 4,
    reason: /Claude Code .*npm install -g @anthropic-ai\/claude-code/,
  },
  {
    what: "AIMAX_TMUX_BIN missing",
    env: { AIMAX_TMUX_BIN: join(scratch, "missing", "tmux") },
    code: 4,
    reason: /not found\. Install tmux/,
    list: { code: 4, reason: /not found\. Install tmux/ },
  },
  {
    what: "AIMAX_TMUX_SOCKET in a missing directory",
    env: { AIMAX_TMUX_SOCKET: join(scratch, "missing", "dir", "tmux.sock") },
    code: 1,
    reason: /tmux .*new-session .*failed.*No such file or directory/,
  },
];

for (const c of ENV_CASES) {
  test(`environment: ${c.what}`, async (world) => {
    const r = await world.cli([
      "create",
      "-b",
      world.backend,
      "-s",
      "ok",
      "--cwd",
      world.cwd,
      "-p",
      "hello",
    ]);
    assertRefused(c.what, r, c.reason, c.code);
    assert.ok(!/ANTHROPIC_API_KEY=\S/.test(r.stderr), "no secret in errors");
    if (c.list) {
      const l = await world.cli(["list"]);
      assertRefused(`${c.what}: list`, l, c.list.reason ?? /./, c.list.code);
    }
    const send = await world.cli(["send", "-s", "ok", "-p", "x"]);
    assert.notEqual(send.code, 0);
    assert.equal(
      world.stub.requests.filter((q) => q.method === "POST").length,
      0,
      "no model request",
    );
    const state = join(world.env.AIMAX_DATA_DIR, "hub-runtime.json");
    if (await exists(state)) {
      const sessions = JSON.parse(await Deno.readTextFile(state)).sessions;
      assert.deepEqual(sessions, {}, "no session recorded");
    }
    const windows = await world.tmux([
      "list-windows",
      "-a",
      "-F",
      "#{window_name}",
    ]);
    assert.ok(
      !windows.stdout.split("\n").includes("ok"),
      "no session window left",
    );
  }, { env: c.env });
}

globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(scratch, { recursive: true });
  } catch {
    // already gone
  }
});
