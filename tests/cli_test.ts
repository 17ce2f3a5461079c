import assert from "node:assert/strict";
import { type CliIo, EXIT, main } from "../cli.ts";
import { allOptions, COMMANDS } from "../lib/cli/mod.ts";
import { defineCommand } from "../lib/cli/command.ts";
import { VERSION } from "../lib/version.ts";

function capture(
  options: { interactive?: boolean; stdin?: string } = {},
): CliIo & { stdout: string[]; stderr: string[]; progressed: string[] } {
  const io = {
    stdout: [] as string[],
    stderr: [] as string[],
    progressed: [] as string[],
    out: (t: string) => io.stdout.push(t),
    err: (t: string) => io.stderr.push(t),
    progress: (t: string) => io.progressed.push(t),
    interactive: () => options.interactive ?? false,
    color: () => false,
    stdin: () => Promise.resolve(options.stdin),
  };
  return io;
}

Deno.test("cli: --version prints the version, also as JSON", async () => {
  const io = capture();
  assert.equal(await main(["--version"], io), EXIT.ok);
  assert.deepEqual(io.stdout, [VERSION]);
  const json = capture();
  assert.equal(await main(["--version", "--json"], json), EXIT.ok);
  assert.deepEqual(JSON.parse(json.stdout[0]), { version: VERSION });
});

Deno.test("cli: --help for the program and for each command", async () => {
  const io = capture();
  assert.equal(await main(["--help"], io), EXIT.ok);
  assert.match(io.stdout[0], /Commands:/);
  for (const { name, summary } of COMMANDS) {
    assert.ok(io.stdout[0].includes(`  ${name.padEnd(8)}  ${summary}\n`), name);
    const c = capture();
    assert.equal(await main([name, "--help"], c), EXIT.ok, name);
    assert.match(c.stdout[0], new RegExp(`^Usage: aimax ${name}`));
  }
});

Deno.test("cli: argv of words and -V, -h, --version, --help, --json (read without node:util) answers as before", async () => {
  const cases: [string[], number, (io: ReturnType<typeof capture>) => void][] =
    [
      [
        ["-V", "--json"],
        EXIT.ok,
        (io) =>
          assert.deepEqual(JSON.parse(io.stdout[0]), { version: VERSION }),
      ],
      [["list", "-V"], EXIT.ok, (io) => assert.deepEqual(io.stdout, [VERSION])],
      [
        ["-h"],
        EXIT.ok,
        (io) => assert.match(io.stdout[0], /^aimax .*\n\nUsage/),
      ],
      [
        ["-h", "frobnicate"],
        EXIT.ok,
        (io) => assert.match(io.stdout[0], /Commands:/),
      ],
      [["--json"], EXIT.usage, (io) => assert.match(io.stdout[0], /Commands:/)],
      [
        ["stop", "-h", "--json"],
        EXIT.ok,
        (io) => assert.match(io.stdout[0], /^Usage: aimax stop/),
      ],
      [["frobnicate", "--json"], EXIT.usage, (io) => {
        assert.deepEqual(io.stderr, ['aimax: unknown command "frobnicate"']);
        assert.equal(JSON.parse(io.stdout[0]).error.code, "usage");
      }],
      [
        ["config", "nope", "--json"],
        EXIT.usage,
        (io) => assert.equal(JSON.parse(io.stdout[0]).error.code, "usage"),
      ],
    ];
  for (const [argv, code, check] of cases) {
    const io = capture();
    assert.equal(await main(argv, io), code, argv.join(" "));
    check(io);
  }
});

Deno.test("cli: a command run with words and --json only (read without node:util) gets what parseArgs would give", async () => {
  // `config show --json` is read by the simple reader; the same with a
  // common option that takes a value goes through parseArgs.
  const simple = capture();
  assert.equal(await main(["config", "show", "--json"], simple), EXIT.ok);
  const parsed = capture();
  assert.equal(
    await main(["config", "--server-timeout", "5", "show", "--json"], parsed),
    EXIT.ok,
  );
  assert.deepEqual(simple.stdout, parsed.stdout);
  assert.equal(typeof JSON.parse(simple.stdout[0]).config.dataDir, "string");
  // Words after the command are its arguments either way.
  const extra = capture();
  assert.equal(await main(["config", "nope", "--json"], extra), EXIT.usage);
  const extraParsed = capture();
  assert.equal(
    await main(
      ["config", "nope", "--json", "--server-timeout", "5"],
      extraParsed,
    ),
    EXIT.usage,
  );
  assert.match(extra.stderr[0], /usage: aimax config show/);
  assert.deepEqual(extra.stderr, extraParsed.stderr);
});

Deno.test("cli: the command table has unique names and one-line summaries", () => {
  const names = COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  for (const { summary } of COMMANDS) assert.doesNotMatch(summary, /\n/);
});

Deno.test("cli: an option of another command is refused, naming the command", async () => {
  for (
    const argv of [
      ["list", "--cwd", "/tmp"],
      ["stop", "-s", "x", "--limit", "3"],
      ["completion", "bash", "-s", "x"],
      ["config", "show", "-p", "hi", "--json"],
    ]
  ) {
    const io = capture();
    assert.equal(await main(argv, io), EXIT.usage, argv.join(" "));
    assert.equal(io.stderr.length, 1);
    assert.match(
      io.stderr[0],
      new RegExp(`^aimax: -.* is not an option of \`aimax ${argv[0]}\``),
    );
    if (argv.includes("--json")) {
      assert.equal(JSON.parse(io.stdout[0]).error.code, "usage");
    }
  }
});

Deno.test("cli: options may come before the command; --help wins over them", async () => {
  const io = capture();
  assert.equal(await main(["--json", "config", "show"], io), EXIT.ok);
  assert.equal(typeof JSON.parse(io.stdout[0]).config.dataDir, "string");
  const help = capture();
  assert.equal(await main(["list", "--cwd", "x", "--help"], help), EXIT.ok);
  assert.match(help.stdout[0], /^Usage: aimax list/);
});

Deno.test("cli: two commands declaring one option differently is caught", () => {
  const run = () => Promise.resolve(EXIT.ok);
  const a = defineCommand({
    name: "a",
    summary: "a",
    help: "Usage: aimax a",
    options: { backend: { type: "string", short: "b" } },
    run,
  });
  const b = defineCommand({
    name: "b",
    summary: "b",
    help: "Usage: aimax b",
    options: { backend: { type: "boolean" } },
    run,
  });
  const c = defineCommand({
    name: "c",
    summary: "c",
    help: "Usage: aimax c",
    options: { bucket: { type: "string", short: "b" } },
    run,
  });
  assert.ok(allOptions([a]).backend);
  assert.throws(() => allOptions([a, b]), /--backend differs/);
  assert.throws(() => allOptions([a, c]), /-b is already --backend/);
  assert.ok(allOptions(COMMANDS).version);
});

Deno.test("cli: no command is a usage error", async () => {
  const io = capture();
  assert.equal(await main([], io), EXIT.usage);
});

Deno.test("cli: unknown command and unknown option exit 2 with one line", async () => {
  for (const argv of [["frobnicate"], ["list", "--nope"]]) {
    const io = capture();
    assert.equal(await main(argv, io), EXIT.usage, argv.join(" "));
    assert.equal(io.stderr.length, 1);
    assert.match(io.stderr[0], /^aimax: /);
  }
});

Deno.test("cli: serve's --on, --exec, --webhook and --desktop go with --notify, which needs one of the last three; nothing is served", async () => {
  const cases: [string[], RegExp][] = [
    [["--exec", "true"], /go with --notify/],
    [["--desktop"], /go with --notify/],
    [["--on", "exited"], /go with --notify/],
    [["--notify"], /say where to deliver/],
    [["--notify", "--on", "exited"], /say where to deliver/],
    [["--notify", "--webhook", "ftp://x"], /--webhook takes an http\(s\) URL/],
    [
      ["--notify", "--exec", "true", "--on", "bogus"],
      /"bogus" is not an event/,
    ],
  ];
  for (const [args, message] of cases) {
    const io = capture();
    const code = await main(["serve", "--port", "1", ...args], io);
    assert.equal(code, EXIT.usage, args.join(" "));
    assert.match(io.stderr.join("\n"), message, args.join(" "));
    assert.deepEqual(io.stdout, [], "nothing served");
  }
});

Deno.test("cli: an unknown backend is refused before anything runs", async () => {
  const io = capture();
  const code = await main(
    ["create", "-b", "nope", "-s", "x", "--cwd", "/tmp", "-p", "hi", "--json"],
    io,
  );
  assert.equal(code, EXIT.usage);
  assert.match(io.stderr[0], /unknown backend "nope"/);
  assert.equal(JSON.parse(io.stdout[0]).error.code, "invalid_input");
});

Deno.test("cli: missing required options name the option", async () => {
  const io = capture();
  assert.equal(
    await main(["create", "-b", "tmux-claude-code", "--cwd", "/tmp"], io),
    EXIT.usage,
  );
  assert.match(io.stderr[0], /--session is required/);
});

Deno.test("cli: --prompt and --prompt-file together are refused", async () => {
  const io = capture();
  const code = await main([
    "create",
    "-b",
    "tmux-claude-code",
    "-s",
    "x",
    "--cwd",
    "/tmp",
    "-p",
    "a",
    "--prompt-file",
    "/etc/hostname",
  ], io);
  assert.equal(code, EXIT.usage);
  assert.match(io.stderr[0], /not both/);
});

Deno.test("cli: --from-sentinel must be a whole number", async () => {
  const io = capture();
  const code = await main(
    ["history", "-b", "tmux-codex", "-s", "x", "--from-sentinel", "-3"],
    io,
  );
  assert.equal(code, EXIT.usage);
});

Deno.test("cli: completion bash|zsh prints a script; others are refused", async () => {
  const bash = capture();
  assert.equal(await main(["completion", "bash"], bash), EXIT.ok);
  assert.match(bash.stdout[0], /complete -F _aimax aimax/);
  const zsh = capture();
  assert.equal(await main(["completion", "zsh"], zsh), EXIT.ok);
  assert.match(zsh.stdout[0], /#compdef aimax/);
  assert.equal(await main(["completion", "fish"], capture()), EXIT.usage);
});

Deno.test("cli: config show lists every AIMAX_ variable; --json has the env map", async () => {
  const io = capture();
  assert.equal(await main(["config", "show", "--json"], io), EXIT.ok);
  const shown = JSON.parse(io.stdout[0]);
  assert.equal(shown.env.AIMAX_DATA_DIR, "dataDir");
  assert.equal(shown.env.AIMAX_TMUX_SOCKET, "tmuxSocket");
  assert.equal(typeof shown.config.dataDir, "string");
});

Deno.test("cli: config permissions prints scoped flags, never -A", async () => {
  const io = capture();
  assert.equal(
    await main(["config", "permissions", "--work-dir", "/srv/x", "--json"], io),
    EXIT.ok,
  );
  const { flags } = JSON.parse(io.stdout[0]);
  assert.ok(flags.includes("--no-prompt"));
  // tmux, and what an agent's profile runs itself (ending a process tree).
  const run = flags.find((f: string) => f.startsWith("--allow-run="));
  assert.equal(run?.split("=")[1].split(",")[0], "tmux", run);
  assert.ok(!run?.split("=")[1].split(",").includes("git"), run);
  assert.ok(
    flags.some((f: string) =>
      f.startsWith("--allow-write=") && f.includes("/srv/x")
    ),
  );
  assert.ok(!flags.includes("-A") && !flags.includes("--allow-all"));
  assert.ok(!flags.some((f: string) => f.startsWith("--allow-net")));
});

Deno.test("cli: config permissions --worktrees adds git and sh (tmux stays)", async () => {
  const io = capture();
  assert.equal(
    await main(["config", "permissions", "--worktrees", "--json"], io),
    EXIT.ok,
  );
  const { flags } = JSON.parse(io.stdout[0]);
  const run = flags.find((f: string) => f.startsWith("--allow-run="));
  const programs = run?.split("=")[1].split(",") ?? [];
  assert.equal(programs[0], "tmux", run);
  assert.deepEqual(programs.slice(-2), ["git", "sh"], run);
});

Deno.test("cli: a backend named after an Object.prototype key is bad usage (exit 2, unknown backend)", async () => {
  for (
    const name of ["toString", "hasOwnProperty", "constructor", "__proto__"]
  ) {
    for (
      const argv of [["list", "-b", name], ["status", "-b", name, "-s", "x"]]
    ) {
      const io = capture();
      assert.equal(await main(argv, io), EXIT.usage, `${argv.join(" ")}`);
      assert.match(io.stderr.join("\n"), /unknown backend/, argv.join(" "));
    }
  }
});

Deno.test("cli: keys over the cap (65 keys) are bad usage (exit 2), nothing pressed", async () => {
  const io = capture();
  const code = await main(
    ["keys", "-b", "tmux-claude-code", "-s", "x", ...Array(65).fill("Escape")],
    io,
  );
  assert.equal(code, EXIT.usage, io.stderr.join("\n"));
  assert.match(io.stderr.join("\n"), /at most 64/);
});

Deno.test("cli: a word a command does not take is refused (exit 2), before the command runs, its text made safe", async () => {
  const stray = "stray\x1b[2J\x07word";
  for (const command of COMMANDS) {
    if (command.positionals === "many") continue;
    const words = command.positionals === "one"
      ? [command.words?.[0] ?? "x", stray]
      : [stray];
    for (const json of [false, true]) {
      const io = capture();
      const argv = [command.name, ...words, ...(json ? ["--json"] : [])];
      assert.equal(await main(argv, io), EXIT.usage, argv.join(" "));
      assert.equal(io.stderr.length, 1, `${command.name}: ${io.stderr}`);
      assert.match(
        io.stderr[0],
        new RegExp(
          `^aimax: "stray.*word" is not an argument of ${command.name}\\b`,
        ),
      );
      // deno-lint-ignore no-control-regex
      assert.doesNotMatch(io.stderr[0], /[\x00-\x1f]/, "sanitised");
      if (json) {
        assert.equal(JSON.parse(io.stdout[0]).error.code, "usage");
      } else {
        assert.deepEqual(io.stdout, [], `${command.name} printed nothing`);
      }
    }
  }
  // create says where a branch and the agent's arguments go.
  const io = capture();
  await main(["create", "-b", "x", "-s", "y", "feat"], io);
  assert.match(
    io.stderr[0],
    /"feat" is not an argument of create: a branch goes as --worktree=BRANCH, the agent's own arguments after --/,
  );
  // keys takes many words: the cap test below reaches keys' own check.
});
