// Opening a notification marks it read; the request outlives the page it leaves.
const token = document.querySelector('meta[name="csrf-token"]').content;

document.getElementById("inbox").addEventListener("click", (event) => {
  const link = event.target.closest("a[data-read]");
  if (!link) return;
  fetch(link.dataset.read, {
    method: "POST",
    credentials: "same-origin",
    keepalive: true,
    headers: { "X-CSRFToken": token },
  });
});
