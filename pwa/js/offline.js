// On every page: what waits in the outbox ("N mục chờ đồng bộ", opened to see each entry and
// fix or discard a refused one), sending it when the connection returns and when the app starts,
// deleting it and the kept pages at sign-out, and the notice of a new version.
import { PAGES_CACHE } from "./api.js";
import * as outbox from "./outbox.js";

const panel = document.getElementById("sync-status");

function when(time) {
  return new Date(time).toLocaleString(document.documentElement.lang, { dateStyle: "short", timeStyle: "short" });
}

function entryItem(entry) {
  const item = document.getElementById("sync-entry").content.firstElementChild.cloneNode(true);
  const link = item.querySelector(".sync-page");
  link.href = entry.page;
  link.textContent = entry.title;
  item.querySelector(".sync-when").textContent = when(entry.saved);
  item.querySelector(".sync-waiting").hidden = entry.state !== "waiting";
  item.querySelector(".sync-refused").hidden = entry.state !== "refused";
  // The fields the server names belong to a page not open here: its words alone.
  item.querySelector(".sync-message").textContent = [entry.message, ...Object.values(entry.errors).flat()].join(" ");
  item.querySelector(".sync-discard").addEventListener("click", () => {
    if (window.confirm(panel.dataset.discard)) outbox.discard(entry.key);
  });
  return item;
}

async function render() {
  const entries = await outbox.pending();
  panel.hidden = entries.length === 0;
  const words = entries.length === 1 ? panel.dataset.one : panel.dataset.many;
  panel.querySelector("summary").textContent = words.replace("{n}", String(entries.length));
  panel.querySelector("ol").replaceChildren(...entries.map(entryItem));
}

// Sign-out: send what can go; ask before deleting what cannot; then nothing stays behind.
function guardSignOut(form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const left = await outbox.flush().then(() => outbox.pending()).catch(() => []);
    if (left.length && !window.confirm(panel.dataset.signout)) return;
    await outbox.forget().catch(() => {});
    await globalThis.caches?.delete(PAGES_CACHE).catch(() => {});
    form.submit();
  });
}

// Opened without a connection: the page is the copy kept when it was last loaded, and says so.
const keptCopy = document.getElementById("kept-copy");
if (keptCopy && !navigator.onLine) keptCopy.hidden = false;
window.addEventListener("online", () => { if (keptCopy) keptCopy.hidden = true; });

if (panel) {
  outbox.rememberUser(PAGES_CACHE).catch(() => {});
  window.addEventListener("outbox:change", render);
  window.addEventListener("online", () => outbox.flush());
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) outbox.flush();
  });
  for (const form of document.querySelectorAll("form[data-signout]")) guardSignOut(form);
  render();
  outbox.flush();
}

// A new version is installed and waits for the old one's tabs to close; "Use it now" switches.
const notice = document.getElementById("update-notice");
navigator.serviceWorker?.getRegistration().then((registration) => {
  if (!registration || !notice) return;
  const show = () => {
    if (registration.waiting && navigator.serviceWorker.controller) notice.hidden = false;
  };
  show();
  registration.addEventListener("updatefound", () => registration.installing?.addEventListener("statechange", show));
  notice.querySelector("button").addEventListener("click", () => {
    navigator.serviceWorker.addEventListener("controllerchange", () => location.reload());
    registration.waiting?.postMessage({ type: "activate" });
  });
});
