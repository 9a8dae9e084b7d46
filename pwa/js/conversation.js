// A conversation page: send a message (text and maybe a photo), show new ones within seconds
// without a reload, quick replies, close/reopen and adding staff; and starting a conversation.
import { errorLines, newKey, queuedWords, send } from "./api.js";
import { pendingFor } from "./outbox.js";

const POLL_MS = 3000;
// Managing a conversation needs the server's answer at once: such actions are never queued.
const ONLINE_ONLY = { queue: false };
const list = document.getElementById("messages");

// Text goes in with textContent only: whatever a message says, it is never read as HTML.
function messageItem(message) {
  const item = document.createElement("li");
  item.className = message.is_mine ? "message mine" : "message";
  item.dataset.id = message.id;
  const meta = document.createElement("p");
  meta.className = "meta";
  const role = message.sender_role ? ` · ${message.sender_role}` : "";
  meta.textContent = `${message.sender_name}${role} · ${message.sent_at_label}`;
  const body = document.createElement("p");
  body.className = "body";
  body.textContent = message.body;
  item.append(meta, body);
  if (message.photo_url) {
    const link = document.createElement("a");
    link.className = "photo";
    link.href = message.photo_url;
    const image = document.createElement("img");
    image.src = message.photo_url;
    image.alt = "";
    link.append(image);
    item.append(link);
  }
  return item;
}

function show(messages) {
  for (const message of messages) {
    if (list.querySelector(`[data-id="${message.id}"]`)) continue;
    list.insertBefore(messageItem(message), list.querySelector("li.waiting"));
    list.dataset.lastId = Math.max(Number(list.dataset.lastId), message.id);
  }
  list.lastElementChild?.scrollIntoView({ block: "end" });
}

function showClosed(isClosed) {
  document.getElementById("closed-note").hidden = !isClosed;
  const form = document.getElementById("message-form");
  if (form) form.hidden = isClosed;
}

// "Anything new?": after the last id we have, with the ETag of the last answer; 304 = nothing.
let etag = "";
async function poll() {
  if (document.hidden) return;
  const headers = etag ? { "If-None-Match": etag } : {};
  const response = await fetch(`${list.dataset.poll}?after=${list.dataset.lastId}`, {
    credentials: "same-origin",
    headers,
    cache: "no-store",
  }).catch(() => null);
  if (!response || response.status === 304 || !response.ok) return;
  etag = response.headers.get("ETag") || "";
  const data = await response.json();
  show(data.messages);
  showClosed(data.is_closed);
}

// Messages kept on this phone until the connection returns, shown after the sent ones.
async function showWaiting(form) {
  const waiting = await pendingFor(form.dataset.api);
  const items = waiting.map((entry) => {
    const text = entry.body.find(([name]) => name === "text")?.[1] ?? "";
    const item = messageItem({ is_mine: true, id: "", body: text });
    item.classList.add("waiting");
    item.querySelector(".meta").textContent = queuedWords();
    if (entry.state === "refused") item.append(Object.assign(document.createElement("p"), {
      className: "field-error", textContent: entry.message,
    }));
    return item;
  });
  list.querySelectorAll("li.waiting").forEach((item) => item.remove());
  list.append(...items);
}

function formData(form) {
  const data = new FormData(form);
  for (const [name, value] of [...data.entries()]) {
    if (value instanceof File && !value.name) data.delete(name);
  }
  return data;
}

// The key is made when Send is pressed and kept until the message changes: a second tap is
// the same message.
let messageKey = newKey();

async function sendMessage(form) {
  const status = form.querySelector(".status");
  status.classList.remove("field-error");
  status.textContent = form.dataset.sending;
  const { ok, data, queued } = await send("POST", form.dataset.api, formData(form), messageKey);
  if (!ok && !queued) {
    status.classList.add("field-error");
    status.textContent = [data.message || form.dataset.offline, ...errorLines(data.errors)].join(" ");
    return;
  }
  status.textContent = queued ? queuedWords() : "";
  form.reset();
  messageKey = newKey();
  if (ok) show([data]);
}

if (list) {
  show([]);
  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);
  const form = document.getElementById("message-form");
  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    sendMessage(form);
  });
  form?.addEventListener("input", () => { messageKey = newKey(); });
  if (form) {
    window.addEventListener("outbox:change", () => showWaiting(form));
    showWaiting(form);
  }
  for (const button of document.querySelectorAll(".quick-reply")) {
    button.addEventListener("click", () => {
      const text = document.getElementById("message-text");
      text.value = button.dataset.text;
      messageKey = newKey();
      text.focus();
    });
  }
}

const toggle = document.getElementById("toggle-closed");
toggle?.addEventListener("click", async () => {
  const closed = { is_closed: toggle.dataset.closed !== "true" };
  const { ok } = await send("PATCH", toggle.dataset.api, closed, undefined, ONLINE_ONLY);
  if (ok) location.reload();
});

const addStaff = document.getElementById("add-staff");
addStaff?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const staff = { user_id: Number(addStaff.user_id.value) };
  const { ok } = await send("POST", addStaff.dataset.api, staff, undefined, ONLINE_ONLY);
  if (ok) location.reload();
});

const start = document.getElementById("start-conversation");
start?.addEventListener("click", async () => {
  const { ok, data } = await send("POST", start.dataset.api, {}, undefined, ONLINE_ONLY);
  if (ok) location.assign(data.url);
  else document.querySelector(".status").textContent = data.message;
});

for (const button of document.querySelectorAll(".remove-reply")) {
  button.addEventListener("click", async () => {
    const { ok } = await send("DELETE", button.dataset.api, {}, undefined, ONLINE_ONLY);
    if (ok) location.reload();
  });
}
