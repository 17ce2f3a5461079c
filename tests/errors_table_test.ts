/**
 * The one table of error codes (`ERRORS` in `lib/errors.ts`): every row is
 * whole; every code the code base raises, answers or compares is in it,
 * built by the class it names; and a thrown error maps as the table says
 * through the CLI's report, the server's status and the remote client's
 * decoder (a real HTTP answer read back by the remote client).
 */
import assert from "node:assert/strict";
import {
  BranchExistsError,
  DirtyTreeError,
  GitError,
  MergeConflictError,
  NotARepositoryError,
  SetupError,
  WorktreeBusyError,
} from "../lib/worktree/errors.ts";
import { join, relative } from "node:path";
import { claudeProfile } from "../lib/agents/claude.ts";
import { sessionDead } from "../lib/backend/pane.ts";
import { exitCodeOf, reportError } from "../lib/cli/errors.ts";
import {
  AgentScreenError,
  AimaxError,
  AwaitingInputError,
  type ErrorCode,
  ERRORS,
  errorSpec,
  EXIT,
  InputError,
  isErrorCode,
  NoInputBoxError,
  PreflightError,
  SessionExistsError,
  SessionNotFoundError,
  StateCorruptError,
  TmuxError,
  UsageError,
} from "../lib/errors.ts";
import { LockTimeoutError } from "../lib/lock.ts";
import { call, errorFromResponse } from "../lib/remote/http.ts";
import { errorResponse, HttpError, httpErrorOf } from "../lib/serve/http.ts";
import { assertSnapshot } from "./support/snapshot.ts";
import { ROOT } from "./support/world.ts";

const CODES = Object.keys(ERRORS) as ErrorCode[];

/** The exit codes an error may have (the others are a turn's outcomes, or success). */
const ERROR_EXITS: readonly number[] = [
  EXIT.failure,
  EXIT.usage,
  EXIT.notFound,
  EXIT.preflight,
  EXIT.awaitingInput,
];

/** The classes the table may name (each raises the codes it names it for). */
const CLASSES: Record<string, unknown> = {
  AimaxError,
  UsageError,
  InputError,
  SessionNotFoundError,
  SessionExistsError,
  PreflightError,
  AgentScreenError,
  NoInputBoxError,
  AwaitingInputError,
  TmuxError,
  StateCorruptError,
  LockTimeoutError,
  HttpError,
  GitError,
  NotARepositoryError,
  BranchExistsError,
  WorktreeBusyError,
  DirtyTreeError,
  MergeConflictError,
  SetupError,
  Error,
};

Deno.test("errors table: every code has its class, an error's exit code, an HTTP error status and a one-line hint", () => {
  assert.ok(CODES.length >= 20, `${CODES.length} codes`);
  for (const code of CODES) {
    const spec = ERRORS[code];
    assert.match(code, /^[a-z]+(_[a-z]+)*$/, code);
    assert.ok(isErrorCode(code), code);
    assert.ok(Object.hasOwn(CLASSES, spec.class), `${code}: ${spec.class}`);
    assert.ok(
      ERROR_EXITS.includes(spec.exit),
      `${code}: exit ${spec.exit} is not an error's exit code`,
    );
    assert.ok(
      Number.isInteger(spec.http) && spec.http >= 400 && spec.http <= 599,
      `${code}: HTTP ${spec.http} is not an error status`,
    );
    assert.match(spec.hint, /^\S[^\n]{9,119}$/, `${code}: its hint`);
  }
  // The classes that fix their own code are the only ones the table names
  // for it: one failure, one class.
  assert.equal(ERRORS.session_not_found.class, "SessionNotFoundError");
  assert.equal(ERRORS.usage.class, "UsageError");
  assert.ok(!isErrorCode("from_the_future"));
  assert.ok(!isErrorCode("toString"), "no inherited name is a code");
  assert.deepEqual(errorSpec("from_the_future"), ERRORS.error);
});

Deno.test("errors table: the exit codes and HTTP statuses are the ones the CLI and the server gave before the table (snapshot: a change is a change of behaviour)", async () => {
  const width = Math.max(...CODES.map((code) => code.length));
  await assertSnapshot(
    "errors_table",
    CODES.map((code) => {
      const { class: raisedBy, exit, http } = ERRORS[code];
      return `${code.padEnd(width)}  exit ${exit}  HTTP ${http}  ${raisedBy}`;
    }),
  );
});

/** One code as the source uses it. */
interface CodeUse {
  /** Where: `path:line`. */
  at: string;
  /** The code as spelled. */
  code: string;
  /** The class the site builds the error with, when it builds one. */
  builtBy?: string;
  /** The HTTP status the site gives it (`new HttpError(status, code, …)`). */
  status?: number;
}

/** Where `index` lies in `text`, as `path:line`. */
function lineOf(path: string, text: string, index: number): string {
  return `${path}:${text.slice(0, index).split("\n").length}`;
}

/**
 * The error codes `text` (a module at `path`) uses: those it builds an
 * error with (`new AimaxError("…"`, `new HttpError(404, "…"`, a class's
 * `super("…"`), and those it writes or compares as a `code` (`code:
 * "…"`, `code === "…"`, `code ?? "…"`). Doc comments count: their
 * examples must name real codes too.
 */
function codeUses(path: string, text: string): CodeUse[] {
  const uses: CodeUse[] = [];
  for (
    const m of text.matchAll(
      /new (AimaxError|HttpError)\(\s*(?:(\d+),\s*)?"([^"]*)"/g,
    )
  ) {
    uses.push({
      at: lineOf(path, text, m.index),
      code: m[3],
      builtBy: m[1],
      ...(m[2] === undefined ? {} : { status: Number(m[2]) }),
    });
  }
  for (const m of text.matchAll(/\bsuper\(\s*"([^"]*)"/g)) {
    const classes = [
      ...text.slice(0, m.index).matchAll(/\bclass (\w+) extends /g),
    ];
    uses.push({
      at: lineOf(path, text, m.index),
      code: m[1],
      builtBy: classes.at(-1)?.[1] ?? "(no class)",
    });
  }
  for (
    const m of text.matchAll(/\bcode(?::|\s*[!=]==?|\s*\?\?)\s*"([^"]*)"/g)
  ) {
    uses.push({ at: lineOf(path, text, m.index), code: m[1] });
  }
  return uses;
}

/** What is wrong with `uses`: a code not in the table, a class or status other than the table's. */
function problemsOf(uses: readonly CodeUse[]): string[] {
  const problems: string[] = [];
  for (const use of uses) {
    if (!isErrorCode(use.code)) {
      problems.push(`${use.at}: "${use.code}" is not an ErrorCode`);
      continue;
    }
    const spec = ERRORS[use.code];
    if (use.builtBy !== undefined && use.builtBy !== spec.class) {
      problems.push(
        `${use.at}: "${use.code}" built by ${use.builtBy}, the table says ${spec.class}`,
      );
    }
    if (use.status !== undefined && use.status !== spec.http) {
      problems.push(
        `${use.at}: "${use.code}" answered ${use.status}, the table says ${spec.http}`,
      );
    }
  }
  return problems;
}

/** The modules of the code base: `lib/**\/*.ts`, `cli.ts`, `mod.ts`. */
async function sources(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && entry.name.endsWith(".ts")) {
        files.set(relative(ROOT, path), await Deno.readTextFile(path));
      }
    }
  };
  await walk(join(ROOT, "lib"));
  for (const file of ["cli.ts", "mod.ts"]) {
    files.set(file, await Deno.readTextFile(join(ROOT, file)));
  }
  return files;
}

Deno.test("errors table: the scan finds a code outside the union, a code built by another class, a status other than the table's", () => {
  const uses = codeUses(
    "x.ts",
    [
      'throw new AimaxError("sesion_dead", "typo");',
      'throw new AimaxError(\n  "session_not_found",\n  "by hand",\n);',
      'throw new HttpError(\n  500,\n  "not_found",\n  "no route",\n);',
      'class Mine extends AimaxError {\n  constructor() {\n    super("usage", "m");\n  }\n}',
      'if (error.code === "nope") return;',
      'return { error: { code: "no_such", message } };',
      'super(options.code ?? "agent_scren", message);',
      'throw new AimaxError("session_dead", "fine");',
    ].join("\n"),
  );
  assert.deepEqual(problemsOf(uses), [
    'x.ts:1: "sesion_dead" is not an ErrorCode',
    'x.ts:2: "session_not_found" built by AimaxError, the table says SessionNotFoundError',
    'x.ts:6: "not_found" answered 500, the table says 404',
    'x.ts:13: "usage" built by Mine, the table says UsageError',
    'x.ts:16: "nope" is not an ErrorCode',
    'x.ts:17: "no_such" is not an ErrorCode',
    'x.ts:18: "agent_scren" is not an ErrorCode',
  ]);
});

Deno.test("errors table: every code lib/, cli.ts and mod.ts use is in the union, built by the class and answered with the status the table names", async () => {
  const files = await sources();
  assert.ok(files.size > 50, `${files.size} modules`);
  const uses = [...files].flatMap(([path, text]) => codeUses(path, text));
  assert.ok(uses.length > 30, `${uses.length} uses found`);
  assert.deepEqual(problemsOf(uses), []);
  // Each code in the table is spelled somewhere outside the table: a row
  // nothing raises is stale.
  const spelled = [...files].map(([path, text]) =>
    path === join("lib", "errors.ts")
      ? text.split("\n").filter((line) => !/^\s*\| "/.test(line)).join("\n")
      : text
  ).join("\n");
  for (const code of CODES) {
    assert.ok(spelled.includes(`"${code}"`), `"${code}" is used nowhere`);
  }
});

/** Writes nothing. */
const QUIET = { hostname: "127.0.0.1", port: 0, onListen: () => {} };

/** An error of each code, as the code base raises it. */
const SAMPLES: Record<ErrorCode, () => Error> = {
  usage: () => new UsageError("--session is required"),
  invalid_input: () => new InputError('session id "a b" has a space'),
  session_not_found: () => new SessionNotFoundError("tmux-codex", "demo"),
  session_exists: () => new SessionExistsError("tmux-codex", "demo"),
  session_dead: () => sessionDead(claudeProfile, "demo"),
  no_transcript: () =>
    new AimaxError("no_transcript", 'session "demo" has no transcript yet'),
  preflight_failed: () => new PreflightError("tmux is not installed"),
  agent_screen: () =>
    new AgentScreenError("the input box did not appear in 30 s", "S1\nS2"),
  no_input_box: () =>
    new NoInputBoxError("Claude Code shows no input box", "! \n  ! shell"),
  awaiting_input: () =>
    new AwaitingInputError(
      'Claude Code in session "demo" waits on a person',
      "Do you want to proceed?\n ❯ 1. Yes",
      "Bash command\nDo you want to proceed?",
    ),
  dialog_changed: () =>
    new AgentScreenError(
      'dialog 3f9a1c0e.mi4x2k1a of session "demo" is no longer up; nothing was pressed',
      "Do you want to proceed?\n ❯ 1. Yes",
      { code: "dialog_changed" },
    ),
  tmux_failed: () =>
    new TmuxError(["kill-window", "-t", "@9"], 1, "can't find window"),
  state_corrupt: () =>
    new StateCorruptError("/d/hub-runtime.json", "/d/aside", "bad JSON"),
  lock_timeout: () =>
    new LockTimeoutError("/d/x.lock", undefined, { timeoutMs: 10 }),
  data_dir: () => new AimaxError("data_dir", "data dir /d is not usable"),
  server_unreachable: () =>
    new AimaxError("server_unreachable", "cannot reach the server"),
  server_timeout: () => new AimaxError("server_timeout", "no answer in 1 s"),
  bad_response: () => new AimaxError("bad_response", "not JSON"),
  response_too_large: () =>
    new AimaxError("response_too_large", "more than 64 MiB"),
  stream_failed: () => new AimaxError("stream_failed", "failed 3 times"),
  unauthorized: () => new HttpError(401, "unauthorized", "wrong token"),
  bad_host: () => new HttpError(403, "bad_host", "host refused"),
  cross_origin: () => new HttpError(403, "cross_origin", "cross-site"),
  not_found: () => new HttpError(404, "not_found", "no route /x"),
  method_not_allowed: () =>
    new HttpError(405, "method_not_allowed", "use POST"),
  too_large: () => new HttpError(413, "too_large", "body over 1 bytes"),
  upgrade_required: () =>
    new HttpError(426, "upgrade_required", "a WebSocket route"),
  bad_json: () => new HttpError(400, "bad_json", "not valid JSON"),
  request_timeout: () =>
    new HttpError(408, "request_timeout", "headers within 10000 ms"),
  headers_too_large: () =>
    new HttpError(431, "headers_too_large", "at most 65536 bytes"),
  git_failed: () => new GitError(["worktree", "add"], 128, "fatal: bad ref"),
  not_a_repository: () =>
    new NotARepositoryError("/tmp/x", "not a git repository"),
  branch_exists: () => new BranchExistsError("aimax/demo"),
  worktree_busy: () => new WorktreeBusyError("the worktree is locked"),
  dirty_tree: () => new DirtyTreeError("the main tree", ["a.txt"]),
  merge_conflict: () =>
    new MergeConflictError("aimax/demo", "main", ["shared.txt"]),
  setup_failed: () => new SetupError("npm ci failed", { exitCode: 1 }),
  io_failed: () =>
    new Deno.errors.NotFound("No such file or directory (os error 2)"),
  error: () => new Error("boom"),
};

/**
 * The classes whose fields all travel in the JSON error, so the remote
 * client builds the same class; any other comes back as an `AimaxError`
 * with the same code (a tmux argv, a state file's path, a lock's holder do
 * not travel; the server sends no screen with `agent_screen`).
 */
const REBUILT = new Set([
  "UsageError",
  "InputError",
  "SessionNotFoundError",
  "SessionExistsError",
  "PreflightError",
  "NoInputBoxError",
  "AwaitingInputError",
]);

/** Codes whose screen travels with them, so the remote client rebuilds their class. */
const SCREEN_TRAVELS = new Set<ErrorCode>(["dialog_changed"]);

/** Codes the remote client reads as another: a body the server could not read is bad input. */
const READ_AS: Partial<Record<ErrorCode, ErrorCode>> = {
  bad_json: "invalid_input",
};

/** Codes whose text the remote CLI prints otherwise than the local one. */
const PRINTED_OTHERWISE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "agent_screen", // the server keeps the screen to itself
  "unauthorized", // the remote client says to check the token
]);

Deno.test("errors table: each code's error exits, answers and comes back through a real server and the remote client as the table says", async () => {
  const server = Deno.serve(QUIET, (request) => {
    const code = new URL(request.url).pathname.slice(1);
    return errorResponse(
      isErrorCode(code) ? SAMPLES[code]() : new Error("no sample"),
    );
  });
  const remote = { url: `http://127.0.0.1:${server.addr.port}`, token: "t" };
  try {
    for (const code of CODES) {
      const spec = ERRORS[code];
      const thrown = SAMPLES[code]();
      // Built by the class the table names.
      if (spec.class === "Error") {
        assert.ok(!(thrown instanceof AimaxError), code);
        assert.ok(!(thrown instanceof HttpError), code);
      } else {
        assert.equal(thrown.constructor.name, spec.class, code);
        assert.equal(thrown.name, spec.class, code);
        assert.equal((thrown as AimaxError | HttpError).code, code);
      }
      // The server: the status of the table, the code as it is.
      const answer = httpErrorOf(thrown);
      assert.equal(answer.status, spec.http, code);
      assert.equal(answer.body.error.code, code);
      // The CLI, locally (the server's own errors never reach it).
      if (thrown instanceof AimaxError || spec.class === "Error") {
        const local = reportError(thrown);
        assert.equal(local.code, spec.exit, code);
        assert.equal(exitCodeOf(thrown), spec.exit, code);
        assert.equal(
          local.json.error.code,
          spec.class === "Error" ? "error" : code,
        );
      }
      // The remote client reads the real answer back as the same class and
      // code, and the CLI exits with the same code.
      const error = await call(remote, `/${code}`).then(
        () => assert.fail(`${code}: no error`),
        (error: unknown) => error,
      );
      assert.ok(error instanceof AimaxError, code);
      const readAs = READ_AS[code] ?? code;
      assert.equal(error.code, readAs);
      const expected = readAs !== code
        ? ERRORS[readAs].class
        : REBUILT.has(spec.class) || SCREEN_TRAVELS.has(code)
        ? spec.class
        : "AimaxError";
      assert.equal(error.constructor.name, expected, code);
      assert.equal(error.name, expected, code);
      assert.ok(error instanceof (CLASSES[expected] as typeof Error), code);
      const remoteReport = reportError(error);
      assert.equal(remoteReport.code, spec.exit, code);
      assert.equal(remoteReport.json.error.code, readAs);
      if (thrown instanceof AimaxError && !PRINTED_OTHERWISE.has(code)) {
        assert.deepEqual(remoteReport.lines, reportError(thrown).lines, code);
        assert.deepEqual(remoteReport.json, reportError(thrown).json, code);
      }
      // The decoder alone reads the body the same way.
      const decoded = errorFromResponse(
        answer.status,
        JSON.parse(JSON.stringify(answer.body)),
      );
      assert.equal(decoded.constructor.name, expected, code);
      assert.equal(decoded.code, readAs);
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("errors table: a code this version does not know (a newer server's) is kept as sent, and exits and answers as 'error' does", () => {
  const error = errorFromResponse(409, {
    error: { code: "worktree_dirty", message: "the worktree has changes" },
  });
  assert.equal(error.constructor.name, "AimaxError");
  assert.equal(error.code as string, "worktree_dirty");
  assert.equal(reportError(error).code, ERRORS.error.exit);
  assert.equal(reportError(error).json.error.code, "worktree_dirty");
  assert.equal(httpErrorOf(error).status, ERRORS.error.http);
  const screen = errorFromResponse(500, {
    error: { code: "new_screen", message: "m", screen: "S" },
  });
  assert.ok(screen instanceof AgentScreenError);
  assert.equal(screen.code as string, "new_screen");
});

Deno.test("errors table: a session lookup that finds no session builds SessionNotFoundError, with or without a backend", () => {
  const any = new SessionNotFoundError(undefined, "demo");
  assert.equal(any.message, 'no session named "demo" (see `aimax list`)');
  assert.equal(
    new SessionNotFoundError("tmux-codex", "demo").message,
    'no tmux-codex session named "demo" (see `aimax list`)',
  );
  assert.equal(
    new SessionNotFoundError(undefined, "", { message: "as sent" }).message,
    "as sent",
  );
  assert.equal(exitCodeOf(any), EXIT.notFound);
  const dead = sessionDead(claudeProfile, "demo", { message: "gone" });
  assert.equal(dead.code, "session_dead");
  assert.equal(dead.message, "gone");
});
