// "Cài ứng dụng": the browser's own install prompt behind a button of ours, offered only when the
// browser says the app can be installed (beforeinstallprompt). iPhones and iPads have no such
// prompt, and deliver notifications only to an app added to the home screen (iOS 16.4 and
// later), so there the panel says how to add it from Safari's Share menu instead.
const panel = document.getElementById("install");

if (panel) {
  const button = panel.querySelector("[data-install]");
  const appleHint = panel.querySelector("[data-apple-hint]");
  const installed = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  const apple = /iPhone|iPad|iPod/.test(navigator.userAgent) || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
  let offer = null;

  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // our button asks, not the browser's mini bar
    offer = event;
    button.hidden = false;
    panel.hidden = false;
  });

  button.addEventListener("click", async () => {
    if (!offer) return;
    const asked = offer;
    offer = null; // a prompt can be shown once; the browser offers again later if declined
    button.hidden = true;
    panel.hidden = true;
    await asked.prompt();
  });

  window.addEventListener("appinstalled", () => {
    panel.hidden = true;
  });

  if (apple && !installed) {
    appleHint.hidden = false;
    panel.hidden = false;
  }
}
