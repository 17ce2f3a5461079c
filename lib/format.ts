/**
 * Human-readable one-line summaries of transcript records, for the CLI.
 * Both agents' shapes are recognised; anything else shows its type.
 *
 * @module
 */

function clip(text: string, max = 160): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((c) => {
    if (!c || typeof c !== "object") return "";
    if (typeof c.text === "string") return c.text;
    if (c.type === "tool_use") {
      return `[tool ${c.name}: ${JSON.stringify(c.input)}]`;
    }
    if (c.type === "tool_result") return `[tool result]`;
    return "";
  }).filter((t) => t !== "").join(" ");
}

/**
 * One line describing a transcript record.
 *
 * @example
 * ```ts
 * import { summarizeRecord } from "@aimax/cli";
 * summarizeRecord({ type: "user", message: { content: "hi" } }); // "user: hi"
 * ```
 * @param raw a parsed transcript line
 */
export function summarizeRecord(raw: unknown): string {
  if (!raw || typeof raw !== "object") return String(raw);
  // deno-lint-ignore no-explicit-any
  const r = raw as Record<string, any>;
  if ((r.type === "user" || r.type === "assistant") && r.message) {
    return clip(`${r.type}: ${contentText(r.message.content)}`);
  }
  if (r.type === "system" && r.subtype) return `system: ${r.subtype}`;
  if (r.type === "event_msg" && r.payload) {
    const p = r.payload;
    if (p.type === "item_completed" && p.item) {
      const item = p.item;
      if (item.type === "CommandExecution") {
        return clip(`command: ${[].concat(item.command ?? []).join(" ")}`);
      }
      return clip(`${item.type}: ${contentText(item.content)}`);
    }
    return `event: ${p.type}`;
  }
  if (r.type === "response_item" && r.payload) {
    return clip(
      `${r.payload.type}${r.payload.role ? ` (${r.payload.role})` : ""}: ${
        contentText(r.payload.content) || (r.payload.name ?? "")
      }`,
    );
  }
  return String(r.type ?? "record");
}
