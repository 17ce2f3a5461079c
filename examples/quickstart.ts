import { get, summarizeRecord } from "../mod.ts";

// Usage: deno run -A examples/quickstart.ts <backend> <cwd>
const [name = "tmux-claude-code", cwd = Deno.cwd()] = Deno.args;
const backend = get(name);

// Spawn a fresh session and submit the first prompt.
const handle = await backend.createNewSession({
  sessionId: "quickstart",
  cwd,
  initialPrompt: "Make a hello.py that prints hi.",
});
console.log("started, agent session =", handle.agentSessionId);

// History so far, then the live stream from exactly where it ended.
const { sentinel } = await backend.getHistory("quickstart");
const unsubscribe = await backend.getAgentRawThoughtStream(
  "quickstart",
  (raw) => console.log("event:", summarizeRecord(raw)),
  { fromOffset: sentinel },
);

// A follow-up that does not interrupt the current turn.
await backend.noPauseCurrentAndQueueQueryAtSession({
  sessionId: "quickstart",
  prompt: "Also add a README.",
});
do {
  await new Promise((resolve) => setTimeout(resolve, 1000));
} while (await backend.isWorking("quickstart"));

await unsubscribe();
console.log(await backend.terminateSession("quickstart"));
