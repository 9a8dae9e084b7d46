// Small progressive enhancements for Sổ liên lạc điện tử. Every page works without this file.
import "./offline.js";
import "./install.js";

// Register after load so the worker's downloads do not slow the first page on a slow phone.
if ("serviceWorker" in navigator) {
  const register = () => navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // No offline support then; the site itself still works.
  });
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
}

// The "More" tab opens its sheet over the page; without this it is a link to the same list.
for (const opener of document.querySelectorAll("a[data-sheet]")) {
  const sheet = document.getElementById(opener.dataset.sheet);
  if (!(sheet instanceof HTMLDialogElement)) continue;
  opener.setAttribute("aria-haspopup", "dialog");
  opener.setAttribute("aria-expanded", "false");
  opener.addEventListener("click", (event) => {
    event.preventDefault();
    sheet.showModal();
    opener.setAttribute("aria-expanded", "true");
  });
  sheet.addEventListener("close", () => opener.setAttribute("aria-expanded", "false"));
  // A tap on the dimmed page around the sheet closes it, as on a phone's own sheets.
  sheet.addEventListener("click", (event) => {
    const box = sheet.getBoundingClientRect();
    const outside = event.clientX < box.left || event.clientX > box.right
      || event.clientY < box.top || event.clientY > box.bottom;
    if (event.target === sheet && outside) sheet.close();
  });
}

// Show the offline banner while the phone has no connection.
const banner = document.getElementById("offline-banner");
if (banner) {
  const update = () => { banner.hidden = navigator.onLine; };
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
}

// <form data-confirm="..."> asks before submitting (e.g. before deleting something).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// <button data-print> opens the browser's print dialog (printable sheets).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
});
