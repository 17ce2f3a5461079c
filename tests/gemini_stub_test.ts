import assert from "node:assert/strict";
import { type GeminiStub, startGeminiStub } from "../offline/gemini_stub.ts";
import { parseScript, replyPieces } from "../offline/script.ts";

type Json = Record<string, unknown>;

const SHELL = {
  functionDeclarations: [{
    name: "run_shell_command",
    parameters: { type: "object", properties: { command: { type: "string" } } },
  }, { name: "mcp_aimax_list_sessions", parameters: { type: "object" } }],
};

const CONTEXT = {
  text:
    "<session_context>\nThis is the Gemini CLI. [[bash rm -rf /]]\n</session_context>",
};

function body(parts: Json[], extra: Json[] = []): Json {
  return {
    contents: [{ role: "user", parts: [CONTEXT, ...parts] }, ...extra],
    tools: [SHELL],
    generationConfig: { temperature: 1 },
  };
}

async function stream(stub: GeminiStub, payload: Json): Promise<Json[]> {
  const response = await fetch(
    `${stub.url}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
    {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": "k" },
      body: JSON.stringify(payload),
    },
  );
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /event-stream/);
  const text = await response.text();
  return text.split("\r\n\r\n").filter((b) => b.trim() !== "").map((b) => {
    assert.ok(b.startsWith("data: "), b);
    return JSON.parse(b.slice(6));
  });
}

// deno-lint-ignore no-explicit-any
function parts(chunks: Json[]): any[] {
  // deno-lint-ignore no-explicit-any
  return chunks.flatMap((c: any) => c.candidates[0].content.parts);
}

function textOf(chunks: Json[]): string {
  return parts(chunks).map((p) => p.text ?? "").join("");
}

Deno.test("gemini stub: ack, shell call then tool done, latest part wins, JSON schema, prompts", async () => {
  const stub = await startGeminiStub();
  try {
    const hello = await stream(stub, body([{ text: "hello\nsecond line" }]));
    assert.equal(textOf(hello), "ack: hello");
    // deno-lint-ignore no-explicit-any
    assert.equal((hello.at(-1) as any).candidates[0].finishReason, "STOP");

    const ask = [{ text: "run [[bash touch /tmp/x]]" }];
    const call = parts(await stream(stub, body(ask)));
    assert.equal(call.length, 1);
    assert.equal(call[0].functionCall.name, "run_shell_command");
    assert.deepEqual(call[0].functionCall.args, {
      command: "touch /tmp/x",
      description: "run command",
    });
    const answered = await stream(
      stub,
      body(ask, [
        { role: "model", parts: call },
        {
          role: "user",
          parts: [{
            functionResponse: {
              name: "run_shell_command",
              response: { output: "ok" },
            },
          }],
        },
      ]),
    );
    assert.equal(textOf(answered), "tool done");

    // After a cancelled turn Gemini CLI sends the unanswered prompt and the
    // next one as two parts of one content: the latest decides.
    const merged = await stream(
      stub,
      body([{ text: "[[bash echo old]]" }, { text: "[[say new]]" }]),
    );
    assert.equal(textOf(merged), "new");

    const routed = await fetch(
      `${stub.url}/v1beta/models/gemini-2.5-flash-lite:generateContent`,
      {
        method: "POST",
        body: JSON.stringify({
          ...body([{ text: "hi" }]),
          generationConfig: {
            responseJsonSchema: {
              type: "object",
              properties: {
                complexity_reasoning: { type: "string" },
                complexity_score: { type: "integer", minimum: 1 },
              },
            },
          },
        }),
      },
    );
    // deno-lint-ignore no-explicit-any
    const json = await routed.json() as any;
    assert.deepEqual(JSON.parse(json.candidates[0].content.parts[0].text), {
      complexity_reasoning: "stub complexity_reasoning",
      complexity_score: 1,
    });
    assert.deepEqual(stub.prompts(), [
      "hello\nsecond line",
      "run [[bash touch /tmp/x]]",
      "[[bash echo old]]",
      "[[say new]]",
    ]);
    assert.equal(
      (await fetch(`${stub.url}/v1beta/other`, { method: "POST" })).status,
      404,
    );
  } finally {
    await stub.close();
  }
});

Deno.test("gemini stub: [[slow N]] streams pieces over N seconds; [[mcp]] calls a declared tool", async () => {
  const stub = await startGeminiStub();
  try {
    const started = Date.now();
    const slow = await stream(stub, body([{ text: "go [[slow 1]]" }]));
    assert.ok(Date.now() - started >= 900);
    assert.ok(slow.length >= 4, `${slow.length} chunks`);
    assert.match(textOf(slow), /^tick 1\. .*slow done$/);
    const ask = [{ text: '[[mcp list_sessions {"all":true}]]' }];
    const call = parts(await stream(stub, body(ask)));
    assert.equal(call[0].functionCall.name, "mcp_aimax_list_sessions");
    assert.deepEqual(call[0].functionCall.args, { all: true });
    const done = await stream(
      stub,
      body(ask, [
        { role: "model", parts: call },
        {
          role: "user",
          parts: [{ functionResponse: { response: { output: "[]" } } }],
        },
      ]),
    );
    assert.equal(textOf(done), "mcp done: []");
  } finally {
    await stub.close();
  }
});

Deno.test("script: one parser for every stand-in", () => {
  const script = parseScript("a [[escalate mkdir x]] [[wait 2]] [[todo]]");
  assert.deepEqual(script.shell, { command: "mkdir x", escalate: true });
  assert.equal(script.waitSeconds, 2);
  assert.equal(script.todo, true);
  assert.equal(script.ack, "ack: a [[escalate mkdir x]] [[wait 2]] [[todo]]");
  assert.deepEqual(replyPieces(parseScript("[[say hi]]")), {
    pieces: ["hi"],
    spreadMs: 0,
  });
  const slow = replyPieces(parseScript("[[slow 2]] [[say abcdefgh]]"));
  assert.equal(slow.pieces.join(""), "abcdefgh");
  assert.equal(slow.spreadMs, 2000);
});
