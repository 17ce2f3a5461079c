/**
 * A loopback stand-in for the Anthropic Messages API, for tests and demos.
 *
 * It answers `POST /v1/messages` with scripted replies chosen by directives
 * in the latest user prompt (read by the shared parser, `offline/script.ts`):
 *
 * - default: `ack: <first line of the prompt>`;
 * - `[[slow N]]`: text streamed in small pieces over N seconds, ending with
 *   `slow done`;
 * - `[[bash CMD]]`: a `Bash` tool call running CMD, then `tool done` once
 *   the tool result comes back;
 * - `[[say TEXT]]`: TEXT literally (spread over N seconds with `[[slow N]]`);
 * - `[[todo]]`: a todo list of 3 items: one `TodoWrite` call when the client
 *   offers that tool, otherwise (Claude Code 2.1.197) three `TaskCreate`
 *   calls and a `TaskUpdate` of task "1" to `in_progress`, one call per
 *   request; then `todo done` (as slowly as `[[slow N]]` says, if given);
 * - `[[mcp TOOL {JSON}]]` (repeatable): a call of the MCP tool TOOL with the
 *   JSON object as its input, one per request in the prompt's order (the
 *   client's tool whose name is TOOL or ends in `__TOOL`: Claude Code names
 *   them `mcp__<server>__<tool>`), first loaded with a `ToolSearch` call
 *   (`select:NAME`) when the client defers it; then `mcp done: ` and the
 *   text of the last call's result. A tool the client does not offer:
 *   `mcp: no tool TOOL among …` instead.
 *
 * Title side requests (no tools) get a JSON title. Run this file as a
 * program to start a stub and print its URL.
 *
 * @module
 */

import { type RecordedRequest, recordRequest } from "./recorded_request.ts";
import { parseScript, replyPieces } from "./script.ts";
export type { RecordedRequest };

/** A running stub server. */
export interface AnthropicStub {
  /** The base URL to use as `ANTHROPIC_BASE_URL`. */
  url: string;
  /** The port the stub listens on. */
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** User prompt texts seen in main (non-title) requests, in order, deduplicated by first appearance */
  prompts(): string[];
  /** Stops the server and aborts replies still streaming. */
  close(): Promise<void>;
}

interface ContentBlock {
  type: string;
  text?: string;
  id?: string;
  tool_use_id?: string;
  content?: unknown;
  name?: string;
  input?: unknown;
}

interface Message {
  role: string;
  content: string | ContentBlock[];
}

interface MessagesBody {
  model?: string;
  stream?: boolean;
  tools?: unknown[];
  messages?: Message[];
}

type Reply =
  | { kind: "text"; text: string; seconds: number }
  | { kind: "tool"; id: string; name: string; input: Record<string, unknown> };

const SYSTEM_REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g;

function blocksOf(message: Message): ContentBlock[] {
  return typeof message.content === "string"
    ? [{ type: "text", text: message.content }]
    : Array.isArray(message.content)
    ? message.content
    : [];
}

/** The user's own text in a message, without system reminders ("" if none). */
function promptText(message: Message): string {
  if (message.role !== "user") return "";
  return blocksOf(message)
    .filter((block) => block.type === "text" && typeof block.text === "string")
    .map((block) => block.text!.replace(SYSTEM_REMINDER, "").trim())
    // Claude Code marks an interrupted turn with a text block of its own.
    .filter((text) => text !== "" && !text.startsWith("[Request interrupted"))
    .join("\n");
}

function isToolResult(message: Message): boolean {
  return message.role === "user" &&
    blocksOf(message).some((block) => block.type === "tool_result");
}

/**
 * Index of the last user message holding the user's text, or -1. A prompt
 * sent after an interrupted tool call shares its message with that call's
 * tool_result, so tool results do not disqualify a message.
 */
function lastPromptIndex(messages: Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (promptText(messages[i]) !== "" && !answersToolSearch(messages, i)) {
      return i;
    }
  }
  return -1;
}

/**
 * Whether message `i` carries the result of a `ToolSearch` call (Claude
 * Code adds a text of its own to it, "Tool loaded.", which is no prompt).
 */
function answersToolSearch(messages: Message[], i: number): boolean {
  const searches = new Set(
    (i > 0 ? blocksOf(messages[i - 1]) : [])
      .filter((b) => b.type === "tool_use" && b.name === "ToolSearch")
      .map((b) => b.id),
  );
  return blocksOf(messages[i]).some((b) =>
    b.type === "tool_result" && searches.has(b.tool_use_id)
  );
}

function isTitleRequest(body: MessagesBody): boolean {
  return !Array.isArray(body.tools) || body.tools.length === 0;
}

let toolCounter = 0;

const TODOS = [
  ["Read the code", "Reading the code"],
  ["Write the fix", "Writing the fix"],
  ["Run the tests", "Running the tests"],
];

function toolNames(body: MessagesBody): string[] {
  return (body.tools ?? []).map((tool) =>
    String((tool as { name?: unknown })?.name)
  );
}

/** The `[[todo]]` tool calls, in order, for the tools the client offers. */
function todoCalls(body: MessagesBody): [string, Record<string, unknown>][] {
  if (toolNames(body).includes("TodoWrite")) {
    return [["TodoWrite", {
      todos: TODOS.map(([content, activeForm], i) => ({
        content,
        activeForm,
        status: i === 0 ? "in_progress" : "pending",
      })),
    }]];
  }
  return [
    ...TODOS.map(([subject, activeForm]): [string, Record<string, unknown>] => [
      "TaskCreate",
      { subject, description: subject, activeForm },
    ]),
    ["TaskUpdate", { taskId: "1", status: "in_progress" }],
  ];
}

/** The text of a tool result block (a string, or text blocks). */
function toolResultText(block: ContentBlock): string {
  if (typeof block.content === "string") return block.content;
  if (!Array.isArray(block.content)) return "";
  return (block.content as ContentBlock[])
    .filter((b) => b.type === "text" && typeof b.text === "string")
    .map((b) => b.text).join("\n");
}

/**
 * The reply to a prompt with `[[mcp …]]` directives, given the messages
 * since it: the next tool's call; a `ToolSearch` call that loads it first
 * when the client defers it (Claude Code offers MCP tools by name only,
 * behind `ToolSearch`); or, once every call has its result, the text.
 */
function mcpReply(
  body: MessagesBody,
  calls: [string, Record<string, unknown>][],
  after: Message[],
): Reply {
  const uses = after.flatMap((m) =>
    m.role === "assistant"
      ? blocksOf(m).filter((b) => b.type === "tool_use")
      : []
  );
  const made = uses.filter((u) => u.name !== "ToolSearch");
  if (made.length >= calls.length) {
    const lastId = made.at(-1)?.id;
    const last = after.flatMap((m) => m.role === "user" ? blocksOf(m) : [])
      .find((b) => b.type === "tool_result" && b.tool_use_id === lastId);
    return {
      kind: "text",
      text: `mcp done: ${last ? toolResultText(last) : ""}`,
      seconds: 0,
    };
  }
  const [tool, input] = calls[made.length];
  const names = toolNames(body);
  const id = `toolu_stub${String(++toolCounter).padStart(6, "0")}`;
  const name = names.find((n) => n === tool || n.endsWith(`__${tool}`));
  if (name) return { kind: "tool", id, name, input };
  const deferred = JSON.stringify(body.messages ?? []).match(
    new RegExp(`mcp__[A-Za-z0-9_-]+?__${tool}(?![A-Za-z0-9_])`),
  )?.[0];
  const query = `select:${deferred}`;
  const searched = uses.some((u) =>
    u.name === "ToolSearch" &&
    (u.input as { query?: unknown } | undefined)?.query === query
  );
  if (deferred && names.includes("ToolSearch") && !searched) {
    return { kind: "tool", id, name: "ToolSearch", input: { query } };
  }
  return {
    kind: "text",
    text: `mcp: no tool ${tool} among ${names.join(", ")}`,
    seconds: 0,
  };
}

function chooseReply(body: MessagesBody): Reply {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (isTitleRequest(body)) {
    return {
      kind: "text",
      text: JSON.stringify({ title: "Stub title" }),
      seconds: 0,
    };
  }
  const index = lastPromptIndex(messages);
  const prompt = index >= 0 ? promptText(messages[index]) : "";
  const toolResultAfter = messages.slice(index + 1).some(isToolResult);
  const script = parseScript(prompt);
  if (script.mcp.length > 0) {
    return mcpReply(body, script.mcp, messages.slice(index + 1));
  }
  // Claude Code has no sandbox to escalate from: `[[escalate]]` is a call.
  if (script.shell) {
    if (toolResultAfter) return { kind: "text", text: "tool done", seconds: 0 };
    return {
      kind: "tool",
      id: `toolu_stub${String(++toolCounter).padStart(6, "0")}`,
      name: "Bash",
      input: { command: script.shell.command, description: "run command" },
    };
  }
  const seconds = script.slowSeconds ?? 0;
  const { pieces } = replyPieces(script);
  const text = pieces.join("");
  if (script.todo) {
    const done = messages.slice(index + 1).filter(isToolResult).length;
    const calls = todoCalls(body);
    if (done >= calls.length) {
      return {
        kind: "text",
        text: script.slowSeconds !== undefined || script.say !== undefined
          ? text.replace(/slow done$/, "todo done")
          : "todo done",
        seconds,
      };
    }
    return {
      kind: "tool",
      id: `toolu_stub${String(++toolCounter).padStart(6, "0")}`,
      name: calls[done][0],
      input: calls[done][1],
    };
  }
  return { kind: "text", text, seconds };
}

/** Splits text into `count` roughly equal, non-empty pieces. */
function split(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    pieces.push(text.slice(i, i + size));
  }
  return pieces.length > 0 ? pieces : [""];
}

function usage(output: number) {
  return {
    input_tokens: 10,
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

function nonStreaming(reply: Reply, model: string): Response {
  const id = `msg_stub${crypto.randomUUID().replaceAll("-", "")}`;
  const content = reply.kind === "text"
    ? [{ type: "text", text: reply.text }]
    : [{
      type: "tool_use",
      id: reply.id,
      name: reply.name,
      input: reply.input,
    }];
  return Response.json({
    id,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: reply.kind === "text" ? "end_turn" : "tool_use",
    stop_sequence: null,
    usage: usage(5),
  });
}

function streaming(
  reply: Reply,
  model: string,
  closing: AbortSignal,
): Response {
  const encoder = new TextEncoder();
  const id = `msg_stub${crypto.randomUUID().replaceAll("-", "")}`;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        if (cancelled) return;
        try {
          controller.enqueue(
            encoder.encode(
              `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
            ),
          );
        } catch {
          cancelled = true;
        }
      };
      const pause = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          closing.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve();
          }, { once: true });
        });
      send("message_start", {
        type: "message_start",
        message: {
          id,
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: usage(1),
        },
      });
      if (reply.kind === "text") {
        send("content_block_start", {
          type: "content_block_start",
          index: 0,
          content_block: { type: "text", text: "" },
        });
        const pieces = split(
          reply.text,
          reply.seconds > 0 ? Math.ceil(reply.seconds * 4) : 3,
        );
        const delay = reply.seconds > 0
          ? (reply.seconds * 1000) / pieces.length
          : 0;
        for (const piece of pieces) {
          if (cancelled || closing.aborted) break;
          if (delay > 0) await pause(delay);
          send("content_block_delta", {
            type: "content_block_delta",
            index: 0,
            delta: { type: "text_delta", text: piece },
          });
        }
      } else {
        send("content_block_start", {
          type: "content_block_start",
          index: 0,
          content_block: {
            type: "tool_use",
            id: reply.id,
            name: reply.name,
            input: {},
          },
        });
        for (const piece of split(JSON.stringify(reply.input), 3)) {
          send("content_block_delta", {
            type: "content_block_delta",
            index: 0,
            delta: { type: "input_json_delta", partial_json: piece },
          });
        }
      }
      send("content_block_stop", { type: "content_block_stop", index: 0 });
      send("message_delta", {
        type: "message_delta",
        delta: {
          stop_reason: reply.kind === "text" ? "end_turn" : "tool_use",
          stop_sequence: null,
        },
        usage: { output_tokens: 5 },
      });
      send("message_stop", { type: "message_stop" });
      if (!cancelled) {
        try {
          controller.close();
        } catch {
          // The client went away.
        }
      }
    },
    cancel() {
      cancelled = true;
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "request-id": `req_stub${id.slice(8, 20)}`,
    },
  });
}

/**
 * Starts a stub Messages API server on a random free loopback port.
 *
 * @param options `hostname` to listen on (default `127.0.0.1`).
 * @returns the running stub; call {@linkcode AnthropicStub.close} when done.
 */
export function startAnthropicStub(
  options: { hostname?: string } = {},
): Promise<AnthropicStub> {
  const hostname = options.hostname ?? "127.0.0.1";
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname,
      port: 0,
      signal: closing.signal,
      onListen: () => {},
      onError: () => new Response("stub error", { status: 500 }),
    }, async (request) => {
      const url = new URL(request.url);
      const recorded = await recordRequest(request);
      const body = recorded.body;
      requests.push(recorded);
      if (request.method === "HEAD" || request.method === "GET") {
        return new Response(request.method === "HEAD" ? null : "ok");
      }
      if (request.method !== "POST") return new Response(null, { status: 200 });
      if (url.pathname === "/v1/messages/count_tokens") {
        return Response.json({ input_tokens: 10 });
      }
      if (url.pathname !== "/v1/messages") {
        return Response.json({
          type: "error",
          error: { type: "not_found_error", message: "stub: unknown path" },
        }, { status: 404 });
      }
      const parsed = (body ?? {}) as MessagesBody;
      const reply = chooseReply(parsed);
      const model = typeof parsed.model === "string" ? parsed.model : "stub";
      return parsed.stream
        ? streaming(reply, model, closing.signal)
        : nonStreaming(reply, model);
    });
    const address = server.addr as Deno.NetAddr;
    const host = address.hostname.includes(":")
      ? `[${address.hostname}]`
      : address.hostname;
    resolve({
      url: `http://${host}:${address.port}`,
      port: address.port,
      requests,
      prompts() {
        const seen = new Set<string>();
        for (const recorded of requests) {
          const body = recorded.body as MessagesBody | null;
          if (
            recorded.method !== "POST" || !body || typeof body !== "object" ||
            !recorded.path.startsWith("/v1/messages") || isTitleRequest(body)
          ) continue;
          for (const message of body.messages ?? []) {
            const text = promptText(message);
            if (text !== "") seen.add(text);
          }
        }
        return [...seen];
      },
      async close() {
        if (!closing.signal.aborted) closing.abort();
        await server.finished;
      },
    });
  });
}

if (import.meta.main) {
  const stub = await startAnthropicStub();
  console.log(stub.url);
  const stop = () => {
    stub.close().finally(() => Deno.exit(0));
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
