import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../lib/errors.ts";
import {
  cleanDisplayName,
  MAX_DISPLAY_NAME,
  MAX_PROMPT_BYTES,
  sanitizePrompt,
  validateAgentSessionId,
  validateCwd,
  validateModel,
  validateSessionId,
} from "../lib/inputs.ts";
import { withTempDir as inTempDir } from "./support/temp_dir.ts";

function isInputError(e: unknown): boolean {
  return e instanceof InputError && e.code === "invalid_input";
}

const BAD_SESSION_IDS: [string, unknown][] = [
  ["slash", "a/b"],
  ["leading slash", "/etc"],
  ["dot-dot", ".."],
  ["dot-dot path", "../x"],
  ["colon (tmux target)", "a:b"],
  ["dot (tmux pane target)", "a.b"],
  ["single dot", "."],
  ["space", "a b"],
  ["double quote", 'a"b'],
  ["single quote", "a'b"],
  ["command substitution", "$(rm -rf x)"],
  ["embedded $()", "a$(id)"],
  ["backticks", "a`id`"],
  ["newline", "a\nb"],
  ["trailing newline", "abc\n"],
  ["leading dash", "-t"],
  ["leading dash long", "--help"],
  ["leading underscore", "_x"],
  ["empty", ""],
  ["1000 chars", "a".repeat(1000)],
  ["65 chars", "a".repeat(65)],
  ["semicolon", "a;b"],
  ["NUL", "a\0b"],
  ["tab", "a\tb"],
  ["non-ASCII letter", "é"],
  ["number", 42],
  ["null", null],
  ["undefined", undefined],
  ["object", { id: "a" }],
  ["array", ["a"]],
];

const GOOD_SESSION_IDS = [
  "a",
  "demo-1",
  "Demo_2",
  "0abc",
  "A-b_C-9",
  "a".repeat(64),
];

for (const [label, id] of BAD_SESSION_IDS) {
  Deno.test(`validateSessionId rejects ${label}`, () => {
    assert.throws(() => validateSessionId(id), isInputError);
  });
}

Deno.test("validateSessionId accepts good ids unchanged", () => {
  for (const id of GOOD_SESSION_IDS) assert.equal(validateSessionId(id), id);
});

Deno.test("validateSessionId error message is bounded and quotes the id", () => {
  try {
    validateSessionId("x/".repeat(500));
    assert.fail("did not throw");
  } catch (e) {
    assert.ok(e instanceof InputError);
    assert.ok(e.message.length < 300, `message too long: ${e.message.length}`);
    assert.ok(!e.message.includes("\n"));
  }
  try {
    validateSessionId("a\nb");
    assert.fail("did not throw");
  } catch (e) {
    assert.ok(e instanceof InputError);
    // The newline is shown escaped, never raw.
    assert.ok(!e.message.includes("\n"), e.message);
    assert.ok(e.message.includes("a\\nb"), e.message);
  }
});

Deno.test("validateAgentSessionId: uuids pass, unsafe ids fail", () => {
  const uuid = "0b6f1c2e-3d4a-4b5c-8d9e-0123456789ab";
  assert.equal(validateAgentSessionId(uuid), uuid);
  assert.equal(validateAgentSessionId("a".repeat(128)), "a".repeat(128));
  for (const bad of ["", "../x", "a b", "-x", "a".repeat(129), "a.b", 1]) {
    assert.throws(() => validateAgentSessionId(bad), isInputError, String(bad));
  }
});

Deno.test("validateModel: real model names pass", () => {
  for (
    const good of [
      "gpt-5.5",
      "claude-opus-4-1",
      "o3",
      "openai/gpt-4.1",
      "claude-3-5-sonnet@20241022",
      "model:latest",
      "a+b",
    ]
  ) {
    assert.equal(validateModel(good), good);
  }
});

Deno.test("validateModel: flag-like and shell-like values fail", () => {
  for (
    const bad of [
      "-m",
      "--dangerously-bypass-approvals-and-sandbox",
      "--model=x",
      "gpt; rm -rf /",
      "$(id)",
      "`id`",
      "a b",
      "a\nb",
      "a|b",
      "a&b",
      "a>b",
      "a'b",
      '"a"',
      "",
      ".hidden",
      "/abs",
      "a".repeat(129),
      7,
      null,
    ]
  ) {
    assert.throws(() => validateModel(bad), isInputError, String(bad));
  }
});

Deno.test("cleanDisplayName removes control characters, keeps text", () => {
  assert.equal(cleanDisplayName("  my\tlabel\x1b[31m\n "), "my label [31m");
  assert.equal(cleanDisplayName("héllo 世界"), "héllo 世界");
  assert.equal(
    cleanDisplayName("x".repeat(MAX_DISPLAY_NAME)),
    "x".repeat(MAX_DISPLAY_NAME),
  );
  assert.throws(
    () => cleanDisplayName("x".repeat(MAX_DISPLAY_NAME + 1)),
    isInputError,
  );
  assert.throws(() => cleanDisplayName(5), isInputError);
});

const withTempDir = (fn: (dir: string) => Promise<void>) =>
  inTempDir("aimax-inputs-", fn);

Deno.test("validateCwd: a good directory returns its canonical path", async () => {
  await withTempDir(async (dir) => {
    const real = await Deno.realPath(dir);
    assert.equal(await validateCwd(dir), real);
    // A trailing slash and a `.` segment canonicalise away.
    assert.equal(await validateCwd(`${dir}/./`), real);
  });
});

Deno.test("validateCwd: missing, file, relative, empty, non-string", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "file.txt");
    await Deno.writeTextFile(file, "x");
    const cases: [string, unknown, RegExp][] = [
      ["missing", join(dir, "nope"), /does not exist/],
      ["a file", file, /not a directory/],
      ["relative", "some/dir", /absolute/],
      ["dot", ".", /absolute/],
      ["empty", "", /required/],
      ["number", 3, /required/],
      ["missing under a file", join(file, "sub"), /./],
    ];
    for (const [label, cwd, pattern] of cases) {
      await assert.rejects(
        () => validateCwd(cwd),
        (e: unknown) => isInputError(e) && pattern.test((e as Error).message),
        label,
      );
    }
  });
});

Deno.test("validateCwd: symlink to a directory is resolved", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, "target dir");
    await Deno.mkdir(target);
    const link = join(dir, "link");
    await Deno.symlink(target, link);
    assert.equal(await validateCwd(link), await Deno.realPath(target));
    // A dangling symlink is "missing".
    const dangling = join(dir, "dangling");
    await Deno.symlink(join(dir, "gone"), dangling);
    await assert.rejects(() => validateCwd(dangling), isInputError);
  });
});

async function canRead(dir: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(dir)) break;
    return true;
  } catch {
    return false;
  }
}

Deno.test("validateCwd: unreadable directory (chmod 000)", async (t) => {
  await withTempDir(async (dir) => {
    await Deno.chmod(dir, 0o755);
    const locked = join(dir, "locked");
    await Deno.mkdir(locked);
    await Deno.chmod(locked, 0o000);
    if (!(await canRead(locked))) {
      // An unprivileged user: the case is produced directly.
      await assert.rejects(
        () => validateCwd(locked),
        (e: unknown) => isInputError(e) && /not readable/.test(String(e)),
      );
      return;
    }
    // Root (CAP_DAC_OVERRIDE) reads mode-000 directories anyway. Run the
    // check in a real subprocess as user nobody when setpriv allows it;
    // otherwise the case cannot be produced here, and we say so.
    const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    });
    if (!setpriv || Deno.uid() !== 0) {
      console.log(
        "  skipped: this user reads mode-000 directories and cannot drop privileges; the unreadable-cwd case cannot be produced",
      );
      await t.step({
        name: "unreadable cwd (skipped)",
        ignore: true,
        fn: () => {},
      });
      return;
    }
    const denoDir = join(dir, "deno-dir");
    await Deno.mkdir(denoDir);
    await Deno.chown(denoDir, 65534, 65534);
    const inputs = new URL("../lib/inputs.ts", import.meta.url).href;
    const out = await new Deno.Command(setpriv, {
      args: [
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        Deno.execPath(),
        "eval",
        "--no-config",
        `import { validateCwd } from ${JSON.stringify(inputs)};
        try {
          await validateCwd(Deno.args[0]);
          console.log(JSON.stringify({ ok: true }));
        } catch (e) {
          console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
        }`,
        locked,
      ],
      cwd: dir,
      env: { DENO_DIR: denoDir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout).trim();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const result = JSON.parse(stdout.split("\n").at(-1)!);
    assert.equal(result.name, "InputError", stdout);
    assert.equal(result.code, "invalid_input");
    assert.match(result.message, /not readable/);
  });
});

Deno.test("sanitizePrompt: ESC[201~ cannot end the bracketed paste", () => {
  const out = sanitizePrompt("hi\x1b[201~rm -rf /\x1b[200~there");
  assert.ok(!out.includes("\x1b"), JSON.stringify(out));
  assert.equal(out, "hi[201~rm -rf /[200~there");
});

Deno.test("sanitizePrompt: CR and CRLF become LF", () => {
  assert.equal(sanitizePrompt("a\r\nb\rc\nd"), "a\nb\nc\nd");
  assert.equal(sanitizePrompt("a\r\r\nb"), "a\n\nb");
});

Deno.test("sanitizePrompt: NUL and other controls removed, tab/newline kept", () => {
  assert.equal(sanitizePrompt("a\0b\x07c\x7fd\x9be"), "abcde");
  assert.equal(
    sanitizePrompt("col1\tcol2\n\tindented\n"),
    "col1\tcol2\n\tindented\n",
  );
  const out = sanitizePrompt("x\x00\x01\x02\x03\x04\x1a\x1f\u0085y");
  assert.equal(out, "xy");
});

Deno.test("sanitizePrompt: lone surrogates become U+FFFD, pairs kept", () => {
  assert.equal(sanitizePrompt("a\uD800b"), "a\uFFFDb");
  assert.equal(sanitizePrompt("a\uDC00"), "a\uFFFD");
  assert.equal(sanitizePrompt("emoji 😀"), "emoji 😀");
  // The output is valid UTF-16 and round-trips through UTF-8.
  const out = sanitizePrompt("x\uDFFF\uD83Dy");
  assert.ok(out.isWellFormed());
  assert.equal(new TextDecoder().decode(new TextEncoder().encode(out)), out);
});

Deno.test("sanitizePrompt: empty and whitespace-only refused", () => {
  for (const bad of ["", " ", "\n\n", "\t \r\n", "\x1b\x00", 5, undefined]) {
    assert.throws(() => sanitizePrompt(bad), isInputError, JSON.stringify(bad));
  }
});

Deno.test("sanitizePrompt: size limit is in UTF-8 bytes after cleaning", () => {
  const atLimit = "a".repeat(MAX_PROMPT_BYTES);
  assert.equal(sanitizePrompt(atLimit).length, MAX_PROMPT_BYTES);
  assert.throws(() => sanitizePrompt(atLimit + "b"), isInputError);
  // 3-byte characters: a third of the limit in characters already exceeds it.
  const wide = "€".repeat(Math.floor(MAX_PROMPT_BYTES / 3) + 1);
  assert.throws(() => sanitizePrompt(wide), isInputError);
  // Removed control characters do not count.
  assert.equal(
    sanitizePrompt("a".repeat(MAX_PROMPT_BYTES) + "\x00\x00").length,
    MAX_PROMPT_BYTES,
  );
});
