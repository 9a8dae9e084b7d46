// "Bật thông báo": ask the browser only after a tap, subscribe, and register this device.
import { send } from "./api.js";

const panel = document.getElementById("push");
const status = panel.querySelector(".status");
const testButton = document.getElementById("push-test");

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("field-error", isError);
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (char) => char.charCodeAt(0));
}

function deviceLabel() {
  const agent = navigator.userAgent;
  const system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : "Máy tính";
  const browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrome\//.test(agent) ? "Chrome" : "Safari";
  return `${browser} · ${system}`;
}

async function turnOn() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(panel.dataset.unsupported, true);
    return;
  }
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    say(panel.dataset.denied, true);
    return;
  }
  const registration = await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ||
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(panel.dataset.key),
    }));
  const { endpoint, keys } = subscription.toJSON();
  const { ok, data } = await send("POST", panel.dataset.subscribe, { endpoint, keys, label: deviceLabel() });
  if (!ok) {
    say(data.errors?.endpoint?.[0] || panel.dataset.failed, true);
    return;
  }
  say(panel.dataset.done);
  testButton.hidden = false;
}

document.getElementById("push-on").addEventListener("click", () => {
  turnOn().catch(() => say(panel.dataset.failed, true));
});
testButton.addEventListener("click", async () => {
  const { ok } = await send("POST", panel.dataset.test, {}).catch(() => ({ ok: false }));
  say(ok ? panel.dataset.sent : panel.dataset.failed, !ok);
});
