/**
 * The live page of `aimax serve`, at `/`: no build step, no framework.
 * Sessions with their state (and a worktree's branch and change count),
 * one session's conversation as it happens (user, assistant, tool calls
 * folded), beside it the diff of a session's worktree (files and hunks,
 * added lines green, removed red, read again when a turn ends), a box to
 * send (queue or interrupt), interrupt and stop, a waiting dialog's text
 * and its choices in the agent's own words (approve and deny name the
 * dialog they answer), and a live view of the session's screen (the
 * agent's own TUI, read again each second while it is shown). Each tool
 * call reads as `history` shows it (`Bash: ls -la`). The title counts the
 * sessions that wait on a person (`(2) aimax`), and once allowed, the
 * browser is told when a session starts waiting or ends a turn while the
 * tab is hidden. Scripts, styles and the icon are served from this server only (a strict
 * Content-Security-Policy); every text from a session is set as text,
 * never as HTML.
 *
 * @module
 */

/**
 * The page's HTML.
 *
 * @example
 * ```ts
 * import { PAGE_HTML } from "./page.ts";
 * console.log(PAGE_HTML.includes("<title>aimax</title>")); // true
 * ```
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aimax</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header><h1>aimax</h1><span id="conn" class="muted">connecting…</span><span class="spacer"></span>
  <button id="notify" type="button" class="plain" hidden title="Be told when a session waits on you or ends a turn while this tab is hidden">Notify me</button>
  <span id="notify-state" class="muted"></span></header>
<div id="notice" hidden></div>
<main>
  <aside>
    <h2>Sessions</h2>
    <ul id="sessions"></ul>
  </aside>
  <section id="detail">
    <div id="empty" class="muted">Choose a session.</div>
    <div id="view" hidden>
      <div id="title"><h2 id="name"></h2><span id="state" class="state"></span>
        <span id="permission" class="muted" title="Permission mode (where it comes from)"></span>
        <span class="spacer"></span>
        <button id="screen-toggle" type="button" class="plain" title="The agent's own screen, live">Screen</button>
        <button id="diff-toggle" type="button" class="plain" hidden title="What the agent changed in its worktree">Diff</button>
        <button id="interrupt" type="button" title="Escape: stop the running turn">Interrupt</button>
        <button id="stop" type="button" class="danger" title="Kill the session's window">Stop</button>
      </div>
      <div id="dialog" hidden>
        <strong>The agent asks:</strong>
        <pre id="dialog-text"></pre>
        <div id="dialog-id" class="muted"></div>
        <div id="dialog-choices" class="choices" title="The choices as the agent offers them"></div>
      </div>
      <div id="panes">
        <ol id="conversation"></ol>
        <section id="screen" hidden>
          <div class="row"><strong>Screen</strong><span id="screen-note" class="muted"></span></div>
          <pre id="screen-text"></pre>
        </section>
        <section id="diff" hidden>
          <div class="row"><strong id="diff-summary"></strong><span class="spacer"></span>
            <button id="diff-refresh" type="button" class="plain" title="Read the diff again">Refresh</button></div>
          <div id="diff-body"></div>
        </section>
      </div>
      <form id="compose">
        <textarea id="prompt" rows="3" placeholder="A prompt (Ctrl+Enter sends)"></textarea>
        <div class="row">
          <label><input type="radio" name="mode" value="queue" checked> queue</label>
          <label><input type="radio" name="mode" value="interrupt"> interrupt</label>
          <span class="spacer"></span>
          <span id="sent" class="muted"></span>
          <button id="send" type="submit">Send</button>
        </div>
      </form>
    </div>
  </section>
</main>
</body>
</html>
`;

/**
 * The page's styles.
 *
 * @example
 * ```ts
 * import { PAGE_CSS } from "./page.ts";
 * console.log(PAGE_CSS.length > 0); // true
 * ```
 */
export const PAGE_CSS = `
:root { --bg:#fafafa; --fg:#1d1d1f; --muted:#6e6e73; --line:#ddd; --accent:#2563eb;
  --working:#d97706; --idle:#16a34a; --ask:#dc2626; --dead:#6b7280;
  --add-bg:#e6ffec; --add-fg:#116329; --del-bg:#ffebe9; --del-fg:#82071e; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, sans-serif; color:var(--fg); background:var(--bg);
  height:100vh; display:flex; flex-direction:column; }
header { display:flex; align-items:baseline; gap:1em; padding:.5em 1em; border-bottom:1px solid var(--line); background:#fff; }
h1 { font-size:1.1em; margin:0; } h2 { font-size:1em; margin:.2em 0; }
main { flex:1; display:flex; min-height:0; }
aside { width:17em; border-right:1px solid var(--line); padding:.5em; overflow:auto; background:#fff; }
#sessions { list-style:none; margin:0; padding:0; }
#sessions li { padding:.4em .5em; border-radius:6px; cursor:pointer; display:flex; justify-content:space-between; align-items:center; gap:.5em; }
#sessions li:hover { background:#f0f0f3; } #sessions li.selected { background:#e8efff; }
#sessions .backend { color:var(--muted); font-size:.85em; }
.state { font-size:.8em; padding:.05em .5em; border-radius:1em; color:#fff; background:var(--dead); white-space:nowrap; }
.state.working { background:var(--working); } .state.idle { background:var(--idle); }
.state.awaiting_input { background:var(--ask); } .state.starting { background:var(--accent); }
#detail { flex:1; display:flex; flex-direction:column; min-width:0; padding:.5em 1em; }
#view { flex:1; display:flex; flex-direction:column; min-height:0; }
#view[hidden] { display:none; }
#title { display:flex; align-items:center; gap:.6em; }
.spacer { flex:1; }
#panes { flex:1; display:flex; gap:.8em; min-height:0; margin:.5em 0; }
#conversation { flex:1; min-width:0; overflow:auto; list-style:none; padding:0; margin:0; }
#diff { flex:1; min-width:0; overflow:auto; border-left:1px solid var(--line); padding-left:.8em; }
#diff .row, #screen .row { margin:0 0 .4em; }
#screen { flex:1; min-width:0; display:flex; flex-direction:column; border-left:1px solid var(--line); padding-left:.8em; }
#screen[hidden] { display:none; }
#screen-text { flex:1; margin:0; padding:.5em; background:#1d1d1f; color:#f5f5f7; border-radius:6px;
  font:.75em/1.25 ui-monospace, monospace; white-space:pre; overflow:auto; }
.choices { display:flex; flex-wrap:wrap; align-items:center; gap:.5em; margin-top:.3em; }
.choices .other { padding:.3em .6em; border:1px dashed var(--line); border-radius:6px; color:var(--muted); }
#diff .file { margin:.4em 0; border:1px solid var(--line); border-radius:6px; background:#fff; }
#diff .file summary { cursor:pointer; padding:.3em .6em; font-family:ui-monospace, monospace; font-size:.85em; background:#f5f5f7; }
#diff .file .added-count { color:var(--add-fg); } #diff .file .removed-count { color:var(--del-fg); }
#diff .hunk { margin:0; font:.8em/1.4 ui-monospace, monospace; overflow-x:auto; }
#diff .hunk-header { color:#0550ae; background:#ddf4ff; padding:0 .6em; }
#diff .line { white-space:pre; padding:0 .6em; }
#diff .line.add { background:var(--add-bg); color:var(--add-fg); }
#diff .line.del { background:var(--del-bg); color:var(--del-fg); }
#diff .note { padding:.3em .6em; }
#sessions .branch { color:var(--muted); font-size:.8em; font-family:ui-monospace, monospace; }
.msg { margin:.4em 0; padding:.5em .7em; border-radius:8px; white-space:pre-wrap; word-break:break-word; max-width:52em; }
.msg.user { background:#e8efff; margin-left:auto; }
.msg.assistant { background:#fff; border:1px solid var(--line); }
.msg.tool { background:#f5f5f7; font-family:ui-monospace, monospace; font-size:.85em; }
.msg.tool summary { cursor:pointer; }
.msg.meta { color:var(--muted); font-size:.8em; padding:.1em .7em; }
.msg.error { color:var(--ask); }
#dialog { border:2px solid var(--ask); border-radius:8px; padding:.5em .8em; background:#fff5f5; }
#dialog pre { white-space:pre-wrap; margin:.4em 0; overflow-x:auto; max-height:12em; }
#compose textarea { width:100%; font:inherit; padding:.5em; border:1px solid var(--line); border-radius:6px; }
.row { display:flex; align-items:center; gap:.8em; margin-top:.3em; }
button { font:inherit; padding:.3em .9em; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.danger { border-color:var(--ask); background:#fff; color:var(--ask); }
button.plain { border-color:var(--line); background:#fff; color:var(--fg); }
#title button { white-space:nowrap; }
button:disabled { opacity:.5; cursor:default; }
.muted { color:var(--muted); }
#notice { padding:.5em 1em; background:#fff5f5; color:var(--ask); border-bottom:1px solid var(--line); }
`;

/**
 * The page's script.
 *
 * @example
 * ```ts
 * import { PAGE_JS } from "./page.ts";
 * console.log(PAGE_JS.includes("EventSource")); // true
 * ```
 */
export const PAGE_JS = `"use strict";
const $ = (id) => document.getElementById(id);
const STATE_LABEL = { working: "working", idle: "idle", awaiting_input: "awaiting input",
  exited: "dead", starting: "starting" };
let sessions = [];
let current = null;
let stream = null;
let shownDialog;
let diffOpen = false;
let diffState = null;
// The diff drawn (as its JSON): one read again unchanged is not redrawn, so
// what the person opened, folded or selected stays.
let diffShown = null;
// The screen view: read again this often while it is shown and the tab is
// visible, one read at a time.
const SCREEN_POLL_MS = 1000;
let screenOpen = false;
let screenTimer = null;
let screenBusy = false;
// Kept at its bottom (where a TUI draws its dialog and input box) unless
// the person scrolled up.
let screenPinned = true;

function notice(text) {
  $("notice").hidden = !text;
  $("notice").textContent = text || "";
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: options.body ? { "content-type": "application/json" } : {},
    credentials: "same-origin",
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    notice("Not signed in: open the address that \`aimax serve\` printed, with ?token=<your token>.");
  }
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function labelOf(row) {
  if (!row.alive && row.state !== "starting") return "dead";
  return STATE_LABEL[row.state] || row.state;
}

function renderSessions() {
  const list = $("sessions");
  list.replaceChildren();
  if (sessions.length === 0) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = "no sessions";
    list.append(li);
  }
  for (const row of sessions) {
    const li = document.createElement("li");
    li.dataset.session = row.sessionId;
    li.dataset.backend = row.backend;
    if (current && current.sessionId === row.sessionId && current.backend === row.backend) {
      li.classList.add("selected");
    }
    const name = document.createElement("span");
    name.textContent = row.displayName || row.sessionId;
    const backend = document.createElement("div");
    backend.className = "backend";
    backend.textContent = row.backend.replace("tmux-", "");
    name.append(backend);
    if (row.worktree) {
      const branch = document.createElement("div");
      branch.className = "branch";
      branch.textContent = "⎇ " + row.worktree.branch +
        (row.worktree.changes ? " · " + row.worktree.changes : "");
      name.append(branch);
    }
    const state = document.createElement("span");
    state.className = "state " + (labelOf(row) === "dead" ? "exited" : row.state);
    state.textContent = labelOf(row);
    li.append(name, state);
    li.addEventListener("click", () => select(row));
    list.append(li);
  }
  if (current) renderCurrent();
}

function renderCurrent() {
  const row = sessions.find((s) => s.sessionId === current.sessionId && s.backend === current.backend);
  if (!row) return;
  $("name").textContent = row.displayName || row.sessionId;
  const state = $("state");
  state.className = "state " + (labelOf(row) === "dead" ? "exited" : row.state);
  state.textContent = labelOf(row);
  const permission = row.permission;
  $("permission").textContent = permission
    ? "mode: " + permission.mode + " (" + permission.detail + ")"
    : "";
  const asking = row.state === "awaiting_input";
  $("dialog").hidden = !asking;
  $("dialog-text").textContent = asking ? (row.dialog || "") : "";
  // The dialog shown is the one answered: its id goes with the answer.
  const info = asking ? row.dialogInfo : undefined;
  shownDialog = info ? info.id : undefined;
  $("dialog-id").textContent = info ? "dialog " + info.id : "";
  renderChoices(asking, info);
  $("screen-toggle").textContent = screenOpen ? "Hide screen" : "Screen";
  $("screen").hidden = !screenOpen;
  $("interrupt").disabled = row.state !== "working";
  $("stop").disabled = !row.alive && row.state === "exited";
  const worktree = Boolean(row.worktree);
  $("diff-toggle").hidden = !worktree;
  $("diff-toggle").textContent = diffOpen ? "Hide diff" : "Diff";
  $("diff").hidden = !(worktree && diffOpen);
  // Read again when the state changes (a turn started or ended).
  if (worktree && diffOpen && diffState !== row.state) loadDiff();
  diffState = row.state;
}

// What a button of each kind of choice does: approve, approve always, deny.
const ANSWERS = {
  yes: { id: "approve", run: () => answer("approve", {}) },
  always: { id: "always", run: () => answer("approve", { always: true }) },
  no: { id: "deny", run: () => answer("deny", {}) },
};
let choicesOf = null;

// The dialog's choices in the agent's words and order, each a button that
// answers it (with the dialog's id); a choice aimax has no answer for is
// shown, to be picked on the screen or with keys. Drawn again only for
// another dialog, so a click is never lost to a redraw.
function renderChoices(asking, info) {
  const key = asking ? (info ? info.id : "-") : null;
  if (key === choicesOf) return;
  choicesOf = key;
  const box = $("dialog-choices");
  box.replaceChildren();
  if (!asking) return;
  const choices = info && info.choices.length > 0 ? info.choices
    : [{ kind: "yes", label: "Approve" }, { kind: "no", label: "Deny" }];
  const drawn = new Set();
  for (const c of choices) {
    const pick = ANSWERS[c.kind];
    if (!pick || drawn.has(c.kind)) {
      const other = span("other", c.label);
      other.title = "no button: pick it on the screen, or with keys";
      box.append(other);
      continue;
    }
    drawn.add(c.kind);
    const button = document.createElement("button");
    button.type = "button";
    button.id = pick.id;
    button.dataset.kind = c.kind;
    if (c.kind === "no") button.className = "danger";
    button.textContent = c.label;
    button.addEventListener("click", () => act(c.kind === "no" ? "deny" : "approve", pick.run));
    box.append(button);
  }
}

function loadDiff() {
  const asked = current;
  api(path("/diff")).then((diff) => {
    if (current === asked) renderDiff(diff);
  }, (error) => {
    if (current !== asked) return;
    diffShown = null;
    $("diff-summary").textContent = "diff: " + (error.message || error);
    $("diff-body").replaceChildren();
  });
}

function screenWanted() {
  return screenOpen && current !== null && !document.hidden;
}

// The agent's own screen, read again while it is shown (no push path
// carries it): one read at a time, slower after a failure.
function pollScreen() {
  clearTimeout(screenTimer);
  screenTimer = null;
  if (screenBusy || !screenWanted()) return;
  screenBusy = true;
  const asked = current;
  let failed = false;
  api(path("/screen")).then((view) => {
    if (current !== asked) return;
    const pre = $("screen-text");
    pre.textContent = view.screen;
    if (screenPinned) pre.scrollTop = pre.scrollHeight;
    $("screen-note").textContent = "";
  }, (error) => {
    failed = true;
    if (current === asked) $("screen-note").textContent = " " + (error.message || error);
  }).finally(() => {
    screenBusy = false;
    if (screenWanted()) {
      screenTimer = setTimeout(pollScreen, failed ? SCREEN_POLL_MS * 5 : SCREEN_POLL_MS);
    }
  });
}

function span(className, text) {
  const item = document.createElement("span");
  item.className = className;
  item.textContent = text;
  return item;
}

function renderDiff(diff) {
  const shown = JSON.stringify(diff);
  if (shown === diffShown) return;
  diffShown = shown;
  $("diff-summary").textContent = diff.branch + ": " + diff.shortStat +
    (diff.truncated ? " (cut: too long)" : "");
  const body = $("diff-body");
  body.replaceChildren();
  if (diff.files.length === 0) {
    body.append(span("note muted", "no changes"));
    return;
  }
  for (const file of diff.files) {
    const folded = document.createElement("details");
    folded.className = "file";
    folded.open = true;
    folded.dataset.path = file.path;
    const summary = document.createElement("summary");
    summary.append(
      span("status", file.status + " "),
      span("path", (file.oldPath ? file.oldPath + " → " : "") + file.path + " "),
      span("added-count", "+" + file.additions + " "),
      span("removed-count", "−" + file.deletions),
    );
    folded.append(summary);
    if (file.binary) folded.append(span("note muted", "binary file"));
    for (const hunk of file.hunks) {
      const block = document.createElement("div");
      block.className = "hunk";
      const header = document.createElement("div");
      header.className = "hunk-header";
      header.textContent = hunk.header;
      block.append(header);
      for (const text of hunk.lines) {
        const line = document.createElement("div");
        line.className = "line " +
          (text.startsWith("+") ? "add" : text.startsWith("-") ? "del" : "ctx");
        line.textContent = text;
        block.append(line);
      }
      folded.append(block);
    }
    body.append(folded);
  }
}

function renderTitle() {
  const waiting = sessions.filter((s) => s.alive && s.state === "awaiting_input").length;
  document.title = waiting ? "(" + waiting + ") aimax" : "aimax";
}

async function refresh() {
  try {
    sessions = await api("/api/sessions");
    sessions = sessions.filter((s) => !s.orphan);
    renderTitle();
    renderSessions();
  } catch (error) {
    $("conn").textContent = String(error.message || error);
  }
}

function query() {
  return "?backend=" + encodeURIComponent(current.backend);
}

function path(suffix) {
  return "/api/sessions/" + encodeURIComponent(current.sessionId) + suffix + query();
}

function add(kind, text, detail) {
  const list = $("conversation");
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 30;
  const li = document.createElement("li");
  li.className = "msg " + kind;
  if (detail !== undefined) {
    const folded = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = text;
    const body = document.createElement("pre");
    body.textContent = detail;
    folded.append(summary, body);
    li.append(folded);
  } else {
    li.textContent = text;
  }
  list.append(li);
  if (stick) list.scrollTop = list.scrollHeight;
  return li;
}

const toolItems = new Map();
function onEvent(event) {
  switch (event.type) {
    case "user_message": add("user", event.text); break;
    case "assistant_message": add("assistant", event.text); break;
    case "tool_call": {
      const input = typeof event.input === "string" ? event.input : JSON.stringify(event.input, null, 2);
      // The server's label says what the call does, as \`history\` does.
      const li = add("tool", "⚙ " + oneLine(event.label || event.name, 160), input);
      if (event.callId) toolItems.set(event.callId, li);
      break;
    }
    case "tool_result": {
      const li = event.callId && toolItems.get(event.callId);
      if (li) {
        const out = document.createElement("pre");
        out.className = "result";
        out.textContent = "→ " + event.output;
        li.querySelector("details").append(out);
      } else add("tool", "→ " + oneLine(event.output), event.output);
      break;
    }
    case "turn_completed":
      add("meta", "turn done" + (event.durationMs ? " in " + Math.round(event.durationMs / 100) / 10 + " s" : ""));
      if (diffOpen && !$("diff").hidden) loadDiff();
      break;
    case "turn_aborted": add("meta", "turn interrupted"); break;
    case "error": add("meta error", event.message); break;
  }
}

function squash(text, max) {
  const line = String(text).replace(/\\s+/g, " ").trim();
  return line.length > max ? line.slice(0, max) + "…" : line;
}

function oneLine(text, max = 80) {
  const line = String(text).split("\\n")[0];
  return line.length > max ? line.slice(0, max) + "…" : line;
}

function select(row) {
  current = { sessionId: row.sessionId, backend: row.backend };
  if (stream) stream.close();
  toolItems.clear();
  $("conversation").replaceChildren();
  $("diff-summary").textContent = "";
  $("diff-body").replaceChildren();
  diffState = null;
  diffShown = null;
  $("screen-text").textContent = "";
  $("screen-note").textContent = "";
  screenPinned = true;
  $("empty").hidden = true;
  $("view").hidden = false;
  renderSessions();
  pollScreen();
  stream = new EventSource(path("/stream") + "&events=1&from=0");
  stream.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.error) add("meta error", data.error.message);
    else onEvent(data);
  };
}

async function act(what, run) {
  try {
    $("sent").textContent = what + "…";
    await run();
    $("sent").textContent = what + ": done";
  } catch (error) {
    $("sent").textContent = what + ": " + (error.message || error);
  }
  refresh();
}

function answer(verb, extra) {
  const body = Object.assign({}, extra, shownDialog ? { dialog: shownDialog } : {});
  return api(path("/" + verb), { method: "POST", body: JSON.stringify(body) });
}

function keys(list) {
  return api(path("/keys"), { method: "POST", body: JSON.stringify({ keys: list }) });
}

function send() {
  const prompt = $("prompt").value;
  if (!current || prompt.trim() === "") return;
  const mode = document.querySelector("input[name=mode]:checked").value;
  $("prompt").value = "";
  act("send", () => api(path("/send"), { method: "POST", body: JSON.stringify({ prompt, mode }) }));
}

function renderNotify() {
  const has = "Notification" in window;
  $("notify").hidden = !has || Notification.permission !== "default";
  $("notify-state").textContent = has && Notification.permission === "denied"
    ? "notifications blocked" : "";
}

// Tells the person, while the tab is hidden, that a session waits on them
// or ended a turn; one notification per session at a time (its tag).
function tell(event) {
  if (!document.hidden || !("Notification" in window)) return;
  if (Notification.permission !== "granted") return;
  const row = sessions.find((s) => s.sessionId === event.sessionId && s.backend === event.backend);
  const name = (row && row.displayName) || event.sessionId;
  const waiting = event.type === "awaiting_input";
  // What a dialog asks (the command, the file) when aimax read it, else its
  // text without the rules drawn around it.
  const info = waiting ? event.dialogInfo : undefined;
  const text = info && info.asks ? info.purpose + ": " + info.asks
    : String(event.text || "").replace(/[─━═╌┄]{2,}/g, " ");
  const note = new Notification(name + (waiting ? " waits on you" : " finished a turn"), {
    body: squash(text, 200) || (waiting ? "a dialog" : "turn done"),
    tag: "aimax " + event.backend + " " + event.sessionId,
  });
  note.onclick = () => {
    window.focus();
    if (row) select(row);
    note.close();
  };
}

function listen() {
  const events = new EventSource("/api/events");
  events.onopen = () => $("conn").textContent = "live";
  events.onerror = () => $("conn").textContent = "reconnecting…";
  let pending = null;
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "awaiting_input" || event.type === "turn_completed") tell(event);
    if (event.type !== "state" && event.type !== "awaiting_input") return;
    clearTimeout(pending);
    pending = setTimeout(refresh, 100);
  };
}

addEventListener("DOMContentLoaded", () => {
  $("compose").addEventListener("submit", (e) => { e.preventDefault(); send(); });
  $("prompt").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); send(); }
  });
  $("interrupt").addEventListener("click", () => act("interrupt", () => keys(["Escape"])));
  $("diff-toggle").addEventListener("click", () => {
    diffOpen = !diffOpen;
    diffState = null;
    renderCurrent();
  });
  $("diff-refresh").addEventListener("click", () => loadDiff());
  $("screen-toggle").addEventListener("click", () => {
    screenOpen = !screenOpen;
    renderCurrent();
    pollScreen();
  });
  $("screen-text").addEventListener("scroll", () => {
    const pre = $("screen-text");
    screenPinned = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 30;
  });
  document.addEventListener("visibilitychange", () => pollScreen());
  $("notify").addEventListener("click", () => {
    Notification.requestPermission().then(renderNotify, renderNotify);
  });
  renderNotify();
  $("stop").addEventListener("click", () => {
    if (confirm("Stop session " + current.sessionId + "?")) {
      act("stop", () => api(path(""), { method: "DELETE" }));
    }
  });
  refresh();
  listen();
  setInterval(refresh, 5000);
});
`;

/**
 * The page's icon (`/favicon.svg`): a browser that finds none asks for
 * `/favicon.ico` and logs the 404.
 *
 * @example
 * ```ts
 * import { PAGE_ICON } from "./page.ts";
 * console.log(PAGE_ICON.startsWith("<svg")); // true
 * ```
 */
export const PAGE_ICON =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">` +
  `<rect width="32" height="32" rx="7" fill="#2563eb"/>` +
  `<path d="M9 23 16 8l7 15M11.5 18h9" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>` +
  `</svg>
`;
