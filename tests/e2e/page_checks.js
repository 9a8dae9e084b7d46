// What a person on a small phone notices on any page, measured in the browser: content wider
// than the screen, controls smaller than a fingertip, text too faint to read. Each list
// describes what fails, so a test names the culprit.
() => {
  const describe = (el) => el.outerHTML.slice(0, 120);
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden"
    && !el.closest("[hidden], [inert], dialog:not([open])");

  // Elements past the viewport's right edge (the page then scrolls sideways). Content inside
  // an element that scrolls by itself (a wide table in .table-scroll) does not widen the page.
  const width = document.documentElement.clientWidth;
  const sideways = document.documentElement.scrollWidth <= width ? [] : [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5).slice(0, 5).map(describe);

  // Links, buttons and form controls: at least 44 x 44 CSS px, counting the label around a
  // checkbox or radio. A link inside a sentence is exempt (WCAG's inline exception); so are
  // hidden and disabled controls.
  const inSentence = (el) => {
    const block = el.closest("p, li, td, dd");
    return el.tagName === "A" && block && block.textContent.trim() !== el.textContent.trim();
  };
  const small = [];
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
    if (el.type === "hidden" || el.disabled || !shown(el) || inSentence(el)) continue;
    const boxed = el.matches("input[type=checkbox], input[type=radio]") && el.closest("label") || el;
    const box = boxed.getBoundingClientRect();
    if (box.width < 43.5 || box.height < 43.5) {
      small.push(`${Math.round(box.width)}x${Math.round(box.height)} ${describe(el)}`);
    }
  }

  // Text below WCAG AA against the nearest opaque background up the tree: 4.5:1, or 3:1 for
  // large text (24 px, or 18.66 px bold). Disabled controls are exempt.
  const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
  const channel = (value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const backgroundOf = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const [r, g, b, alpha = 1] = rgb(getComputedStyle(node).backgroundColor);
      if (alpha >= 0.99) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const faint = [];
  const done = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!text.textContent.trim() || done.has(el)) continue;
    done.add(el);
    if (!shown(el) || el.closest(".visually-hidden, :disabled, svg")) continue;
    const style = getComputedStyle(el);
    const [a, b] = [luminance(rgb(style.color)), luminance(backgroundOf(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) faint.push(`${ratio.toFixed(2)}:1 ${style.color} ${describe(el)}`);
  }
  return { sideways, small, faint };
}
