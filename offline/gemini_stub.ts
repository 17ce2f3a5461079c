/**
 * A loopback stand-in for the Gemini API (`generativelanguage`), for
 * driving the real Gemini CLI TUI in tests (`GOOGLE_GEMINI_BASE_URL`).
 *
 * It answers `POST /v1beta/models/<model>:streamGenerateContent?alt=sse`
 * (server-sent events) and `POST /v1beta/models/<model>:generateContent`
 * (one JSON answer) with replies scripted by directives in the latest real
 * user prompt, read by the shared parser ({@linkcode parseScript}, see
 * `offline/script.ts`): `[[slow N]]`, `[[say TEXT]]`, `[[wait N]]`,
 * `[[bash CMD]]` (a `run_shell_command {command, description}` call, then
 * `tool done` once its `functionResponse` comes back) and `[[mcp TOOL
 * {JSON}]]` (calls of the declared function TOOL, or one ending in `_TOOL`,
 * then `mcp done: ` and the last call's output). A request that asks for
 * JSON (`generationConfig.responseJsonSchema` or `responseSchema`: the
 * "Auto" model's routing call, summaries) gets a value matching the
 * schema.
 *
 * Run as a script it prints its base URL and serves until killed.
 *
 * @module
 */

import { type RecordedRequest, recordRequest } from "./recorded_request.ts";
import { parseScript, replyPieces } from "./script.ts";
export type { RecordedRequest };

/** A running stub server. */
export interface GeminiStub {
  /** Origin of the server (`GOOGLE_GEMINI_BASE_URL`), e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** TCP port the server listens on. */
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** User prompt texts seen in content requests, in order, deduplicated. */
  prompts(): string[];
  /** Stops the server, cutting any reply still streaming. */
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** One part of a content. */
interface Part {
  text?: string;
  thought?: boolean;
  functionCall?: { name?: string; args?: unknown; id?: string };
  functionResponse?: { name?: string; response?: unknown; id?: string };
}

/** One turn of the conversation a request carries. */
interface Content {
  role?: string;
  parts?: Part[];
}

/** The name of Gemini CLI's shell tool. */
export const SHELL_TOOL = "run_shell_command";

/**
 * Texts Gemini CLI sends as user parts of its own: the session's context
 * (date, folder, file tree), reminders, and the note it adds after a
 * cancelled turn.
 */
const SYNTHETIC = [
  /^<session_context>/,
  /^<system-reminder>/,
  /^<system_note>/,
  /^This is the Gemini CLI\./,
  /^\[Request cancelled/,
  /^<state_snapshot>/,
];

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function partsOf(content: Content): Part[] {
  return Array.isArray(content.parts) ? content.parts.filter(isObject) : [];
}

/**
 * The person's own texts in a content, one per part ([] for the CLI's own
 * and for tool results). Gemini CLI sends consecutive user turns as one
 * content: after a cancelled turn, the unanswered prompt and the next one
 * are two parts of it.
 */
function promptTexts(content: Content): string[] {
  if (content.role !== "user") return [];
  const parts = partsOf(content);
  if (parts.some((p) => p.functionResponse)) return [];
  return parts
    .filter((p) => typeof p.text === "string" && !p.thought)
    .map((p) => p.text!.trim())
    .filter((t) => t !== "" && !SYNTHETIC.some((s) => s.test(t)));
}

/** The latest of the person's texts in a content ("" when none). */
function promptText(content: Content): string {
  return promptTexts(content).at(-1) ?? "";
}

function contentsOf(body: Json): Content[] {
  return Array.isArray(body.contents) ? body.contents.filter(isObject) : [];
}

/** Index of the latest content holding the person's text, or -1. */
function lastPromptIndex(contents: Content[]): number {
  for (let i = contents.length - 1; i >= 0; i--) {
    if (promptText(contents[i]) !== "") return i;
  }
  return -1;
}

/** The names of the functions the request declares. */
function functionNames(body: Json): string[] {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  return tools.flatMap((tool) =>
    Array.isArray(tool.functionDeclarations)
      ? tool.functionDeclarations.filter(isObject).map((f) => String(f.name))
      : []
  );
}

/** The output a `functionResponse` carries, as text. */
function responseText(part: Part): string {
  const response = part.functionResponse?.response;
  if (typeof response === "string") return response;
  if (!isObject(response)) return "";
  for (const key of ["output", "content", "result"]) {
    const value = response[key];
    if (typeof value === "string") return value;
    if (Array.isArray(value)) {
      return value.filter(isObject).map((v) =>
        typeof v.text === "string" ? v.text : ""
      ).join("\n");
    }
  }
  return JSON.stringify(response);
}

/** Builds a value matching a (simple) JSON schema. */
function sampleFor(schema: unknown, key = "value"): unknown {
  if (!isObject(schema)) return "stub";
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[0];
  }
  const raw = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const type = typeof raw === "string" ? raw.toLowerCase() : raw;
  switch (type) {
    case "object": {
      const props = isObject(schema.properties) ? schema.properties : {};
      const out: Json = {};
      for (const [name, sub] of Object.entries(props)) {
        out[name] = sampleFor(sub, name);
      }
      return out;
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return `stub ${key}`;
  }
}

/** What the model says: text in pieces, or a function call. */
type Reply =
  | { kind: "text"; pieces: string[]; spreadMs: number; waitMs: number }
  | { kind: "call"; name: string; args: Json };

/** The JSON schema a request asks its answer to match, if any. */
function jsonSchemaOf(body: Json): unknown {
  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  if (config.responseJsonSchema !== undefined) return config.responseJsonSchema;
  if (config.responseSchema !== undefined) return config.responseSchema;
  if (config.responseMimeType === "application/json") return {};
  return undefined;
}

function text(pieces: string[], spreadMs = 0, waitMs = 0): Reply {
  return { kind: "text", pieces, spreadMs, waitMs };
}

/**
 * The scripted reply to a request's contents.
 *
 * @param body the request body
 */
function decide(body: Json): Reply {
  const schema = jsonSchemaOf(body);
  if (schema !== undefined) return text([JSON.stringify(sampleFor(schema))]);
  const contents = contentsOf(body);
  const index = lastPromptIndex(contents);
  const prompt = index >= 0 ? promptText(contents[index]) : "";
  const after = contents.slice(index + 1);
  const responses = after.flatMap(partsOf).filter((p) => p.functionResponse);
  const script = parseScript(prompt);
  if (script.mcp.length > 0) {
    const calls = after.filter((c) => c.role === "model").flatMap(partsOf)
      .filter((p) => p.functionCall);
    if (calls.length >= script.mcp.length) {
      const last = responses.at(-1);
      return text([`mcp done: ${last ? responseText(last) : ""}`]);
    }
    const [tool, args] = script.mcp[calls.length];
    const names = functionNames(body);
    const name = names.find((n) =>
      n === tool || n.endsWith(`__${tool}`) || n.endsWith(`_${tool}`)
    );
    return name
      ? { kind: "call", name, args }
      : text([`mcp: no tool ${tool} among ${names.join(", ")}`]);
  }
  if (responses.length > 0) return text(["tool done"]);
  if (script.shell) {
    return {
      kind: "call",
      name: SHELL_TOOL,
      args: { command: script.shell.command, description: "run command" },
    };
  }
  const { pieces, spreadMs } = replyPieces(script);
  return text(pieces, spreadMs, (script.waitSeconds ?? 0) * 1000);
}

function usage(): Json {
  return { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 };
}

/** One answer chunk: the parts, and the finish reason on the last one. */
function chunk(
  parts: Part[],
  options: { model: string; responseId: string; last: boolean },
): Json {
  return {
    candidates: [{
      content: { role: "model", parts },
      index: 0,
      ...(options.last ? { finishReason: "STOP" } : {}),
    }],
    usageMetadata: usage(),
    modelVersion: options.model,
    responseId: options.responseId,
  };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

let counter = 0;

function callParts(reply: Extract<Reply, { kind: "call" }>): Part[] {
  return [{
    functionCall: {
      name: reply.name,
      args: reply.args,
      id: `call_stub_${++counter}`,
    },
  }];
}

function streamed(
  reply: Reply,
  options: { model: string; abort: AbortController; done: () => void },
): ReadableStream<Uint8Array> {
  const { model, abort, done } = options;
  const signal = abort.signal;
  const responseId = `resp_stub_${++counter}`;
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      const send = (data: Json): boolean => {
        if (signal.aborted) return false;
        try {
          controller.enqueue(
            encoder.encode(`data: ${JSON.stringify(data)}\r\n\r\n`),
          );
          return true;
        } catch {
          return false;
        }
      };
      if (reply.kind === "call") {
        send(chunk(callParts(reply), { model, responseId, last: true }));
      } else {
        if (reply.waitMs > 0) await delay(reply.waitMs, signal);
        const pause = reply.spreadMs / reply.pieces.length;
        for (const [i, piece] of reply.pieces.entries()) {
          if (pause > 0) await delay(pause, signal);
          const last = i === reply.pieces.length - 1;
          if (!send(chunk([{ text: piece }], { model, responseId, last }))) {
            break;
          }
        }
      }
      try {
        controller.close();
      } catch {
        // The client went away.
      }
      done();
    },
    cancel() {
      // The client went away (Escape in the TUI): stop the loop.
      abort.abort();
      done();
    },
  });
}

/**
 * Starts the stub on a random free loopback port.
 *
 * @example
 * ```ts ignore
 * import { startGeminiStub } from "./gemini_stub.ts";
 * const stub = await startGeminiStub();
 * // GOOGLE_GEMINI_BASE_URL=stub.url GEMINI_API_KEY=… gemini -m gemini-2.5-pro
 * await stub.close();
 * ```
 * @param options `hostname` to listen on (default `127.0.0.1`).
 * @returns the running stub.
 */
export function startGeminiStub(
  options: { hostname?: string } = {},
): Promise<GeminiStub> {
  const hostname = options.hostname ?? "127.0.0.1";
  const requests: RecordedRequest[] = [];
  const streams = new Set<AbortController>();
  const seen: string[] = [];

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const recorded = await recordRequest(request);
    requests.push(recorded);
    const body = recorded.body;
    const call = /^\/v1(?:beta|alpha|)\/models\/([^/:]+):(\w+)$/.exec(
      url.pathname,
    );
    if (request.method !== "POST" || !call) {
      if (request.method === "HEAD" || url.pathname === "/") {
        return new Response(request.method === "HEAD" ? null : "ok");
      }
      return Response.json({
        error: {
          code: 404,
          message: `stub: no route ${request.method} ${url.pathname}`,
          status: "NOT_FOUND",
        },
      }, { status: 404 });
    }
    if (!isObject(body)) {
      return Response.json({
        error: { code: 400, message: "bad json", status: "INVALID_ARGUMENT" },
      }, { status: 400 });
    }
    const [, model, method] = call;
    if (method === "countTokens") return Response.json({ totalTokens: 10 });
    if (jsonSchemaOf(body) === undefined) {
      for (const prompt of contentsOf(body).flatMap(promptTexts)) {
        if (!seen.includes(prompt)) seen.push(prompt);
      }
    }
    const reply = decide(body);
    if (method === "generateContent") {
      const parts = reply.kind === "call"
        ? callParts(reply)
        : [{ text: reply.pieces.join("") }];
      return Response.json(
        chunk(parts, {
          model,
          responseId: `resp_stub_${++counter}`,
          last: true,
        }),
      );
    }
    if (method !== "streamGenerateContent") {
      return Response.json({
        error: {
          code: 404,
          message: `stub: no method ${method}`,
          status: "NOT_FOUND",
        },
      }, { status: 404 });
    }
    const abort = new AbortController();
    streams.add(abort);
    return new Response(
      streamed(reply, { model, abort, done: () => streams.delete(abort) }),
      {
        headers: {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
        },
      },
    );
  }

  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname,
      port: 0,
      onListen: () => {},
      onError: () => new Response("stub error", { status: 500 }),
    }, handle);
    const addr = server.addr as Deno.NetAddr;
    const host = addr.hostname.includes(":")
      ? `[${addr.hostname}]`
      : addr.hostname;
    resolve({
      url: `http://${host}:${addr.port}`,
      port: addr.port,
      requests,
      prompts: () => [...seen],
      async close() {
        for (const abort of streams) abort.abort();
        streams.clear();
        await server.shutdown();
      },
    });
  });
}

if (import.meta.main) {
  const stub = await startGeminiStub();
  console.log(stub.url);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      stub.close().finally(() => Deno.exit(0));
    });
  }
}
