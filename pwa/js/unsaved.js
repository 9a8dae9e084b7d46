// Entry pages ask before a change the user typed is lost: leaving the page, or switching what the form shows.
// watchUnsaved(form) tracks typing in the form; call saved() once the server (or the offline queue) holds it.

export function watchUnsaved(form) {
  let dirty = false;
  const mark = () => { dirty = true; };
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
  return {
    isDirty: () => dirty,
    saved: () => { dirty = false; },
    // Before replacing what the form shows: true when nothing is lost or the user agrees to lose it.
    mayDiscard: () => !dirty || window.confirm(form.dataset.unsaved || ""),
  };
}
