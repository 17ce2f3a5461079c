/**
 * The REST routes' own checks, called in-process (no tmux, no agent): what
 * a request with a bad backend name, a bad key list or a bad offset is
 * answered before anything runs.
 */
import assert from "node:assert/strict";
import { handleApi } from "../../lib/serve/api.ts";
import { httpErrorOf } from "../../lib/serve/http.ts";
import { EventHub } from "../../lib/serve/hub.ts";

const PROTOTYPE_KEYS = [
  "toString",
  "hasOwnProperty",
  "constructor",
  "__proto__",
];

/** What the server answers `request` with, thrown errors mapped as it maps them. */
async function answer(
  request: Request,
): Promise<{ status: number; code?: string; message?: string }> {
  const hub = new EventHub();
  try {
    const response = await handleApi(request, { hub });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    const report = httpErrorOf(error);
    return {
      status: report.status,
      code: report.body.error.code,
      message: report.body.error.message,
    };
  } finally {
    await hub.close();
  }
}

Deno.test("serve api: a backend named after an Object.prototype key is a 400 unknown backend (list, create, session routes), never a 500", async () => {
  for (const name of PROTOTYPE_KEYS) {
    const q = encodeURIComponent(name);
    const listed = await answer(
      new Request(`http://127.0.0.1/api/sessions?backend=${q}`),
    );
    assert.equal(listed.status, 400, `${name}: ${listed.message}`);
    assert.match(listed.message!, /unknown backend/);
    const created = await answer(
      new Request("http://127.0.0.1/api/sessions", {
        method: "POST",
        body: JSON.stringify({
          backend: name,
          sessionId: "x",
          cwd: "/tmp",
          prompt: "hi",
        }),
      }),
    );
    assert.equal(created.status, 400, `${name}: ${created.message}`);
    assert.match(created.message!, /unknown backend/);
    const status = await answer(
      new Request(`http://127.0.0.1/api/sessions/x?backend=${q}`),
    );
    assert.equal(status.status, 400, `${name}: ${status.message}`);
  }
});

Deno.test("serve api: POST keys with 40,000 Escapes is a 400 at once, whose message does not echo the keys", async () => {
  const started = performance.now();
  const pressed = await answer(
    new Request(
      "http://127.0.0.1/api/sessions/x/keys?backend=tmux-claude-code",
      {
        method: "POST",
        body: JSON.stringify({ keys: Array(40_000).fill("Escape") }),
      },
    ),
  );
  assert.equal(pressed.status, 400, pressed.message);
  assert.equal(pressed.code, "invalid_input");
  assert.ok(pressed.message!.length < 200, pressed.message);
  assert.match(pressed.message!, /at most 64/);
  assert.ok(performance.now() - started < 1_000);
});

Deno.test("serve api: create refuses a bad permission mode, bypass without allowBypass and refused or unbounded agentArgs with 400 before anything starts", async () => {
  const create = (extra: Record<string, unknown>) =>
    answer(
      new Request("http://127.0.0.1/api/sessions", {
        method: "POST",
        body: JSON.stringify({
          backend: "tmux-claude-code",
          sessionId: "opts-x",
          cwd: "/tmp",
          prompt: "hi",
          ...extra,
        }),
      }),
    );
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ permissionMode: "sometimes" }, /invalid permission mode/],
    [{ permissionMode: "bypass" }, /--allow-bypass/],
    [{ agentArgs: ["--settings", "x.json"] }, /--settings is not passed/],
    [{ agentArgs: ["hello"] }, /not an option/],
    [{ agentArgs: "--add-dir /x" }, /list of strings/],
    [{ agentArgs: Array(65).fill("--verbose") }, /too many/],
    [{ agentArgs: ["--name", "x".repeat(5000)] }, /too long/],
  ];
  for (const [extra, message] of cases) {
    const r = await create(extra);
    assert.equal(r.status, 400, `${JSON.stringify(extra)}: ${r.message}`);
    assert.equal(r.code, "invalid_input");
    assert.match(r.message!, message);
  }
});

Deno.test("serve api: create refuses rules that are not rules, or that the agent cannot express, with 400 naming the rule before anything starts", async () => {
  const create = (backend: string, extra: Record<string, unknown>) =>
    answer(
      new Request("http://127.0.0.1/api/sessions", {
        method: "POST",
        body: JSON.stringify({
          backend,
          sessionId: "rules-x",
          cwd: "/tmp",
          prompt: "hi",
          ...extra,
        }),
      }),
    );
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["tmux-claude-code", { allow: ["npm test"] }, /"npm test" is not KIND/],
    ["tmux-claude-code", { deny: "bash:rm *" }, /list of strings/],
    ["tmux-claude-code", { allow: [7] }, /must be a string/],
    [
      "tmux-claude-code",
      { allow: ["bash:echo (x)"] },
      /"bash:echo \(x\)" cannot be expressed for Claude Code/,
    ],
    [
      "tmux-codex",
      { allow: ["edit:src/**"] },
      /"edit:src\/\*\*" cannot be expressed for Codex/,
    ],
    [
      "tmux-codex",
      { deny: ["bash:rm*"] },
      /"bash:rm\*" cannot be expressed for Codex/,
    ],
    [
      "tmux-codex",
      { allow: ["bash:rm *"], deny: ["bash:rm *"] },
      /both allowed and denied/,
    ],
  ];
  for (const [backend, extra, message] of cases) {
    const r = await create(backend, extra);
    assert.equal(r.status, 400, `${JSON.stringify(extra)}: ${r.message}`);
    assert.equal(r.code, "invalid_input");
    assert.match(r.message!, message);
  }
});
