/* Link previews (journal/pages/previews.py): a card with a linked page's title, date or note
   status and first paragraph, or a glossary term's definition, or a heading's first paragraph.
   Data: _previews/<docname>.json, fetched from this site on the first hover or focus of a link.
   Only where the pointer hovers: on touch screens a tap follows the link and nothing else runs. */
(() => {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(hover: hover) and (pointer: fine)").matches) return;
  const script = document.currentScript;
  if (!script || !script.src) return;
  const root = new URL("../", script.src);
  const KINDS = { post: "글", note: "노트", page: "페이지" };
  const SHOW_DELAY = 250;
  const HIDE_DELAY = 200;
  const cache = new Map();
  let card = null;
  let current = null;
  let showTimer = 0;
  let hideTimer = 0;
  let request = 0;
  let dismissed = null; // the link whose card Esc closed: no card again until the pointer or focus leaves it

  function target(link) {
    const url = new URL(link.href, location.href);
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
    let path = decodeURIComponent(url.pathname.slice(root.pathname.length));
    if (path.endsWith(".html")) path = path.slice(0, -5);
    else if (path === "" || path.endsWith("/")) path += "index";
    const anchor = decodeURIComponent(url.hash.slice(1));
    const here = new URL(location.href);
    if (anchor === "" && url.pathname === here.pathname) return null;
    return { docname: path, anchor };
  }

  function load(docname) {
    if (!cache.has(docname)) {
      const url = new URL("_previews/" + docname.split("/").map(encodeURIComponent).join("/") + ".json", root);
      cache.set(docname, fetch(url, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null));
    }
    return cache.get(docname);
  }

  function describe(data, anchor) {
    const position = anchor && data.ids ? data.ids[anchor] : undefined;
    const found = position === undefined ? undefined : data.anchors[position];
    if (found && found.kind === "term") return { label: "용어", title: found.title, text: found.text };
    if (found) return { label: data.title, title: found.title, text: found.text };
    const label = [KINDS[data.kind] || "", data.meta || ""].filter(Boolean).join(" · ");
    return { label, title: data.title, text: data.text };
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    node.textContent = text;
    return node;
  }

  function ensureCard() {
    if (card) return card;
    card = document.createElement("div");
    card.id = "journal-preview-card";
    card.className = "journal-preview-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", () => clearTimeout(hideTimer));
    card.addEventListener("mouseleave", () => scheduleHide());
    document.body.appendChild(card);
    return card;
  }

  function fill(content) {
    const box = ensureCard();
    box.replaceChildren();
    if (content.label) box.appendChild(element("p", "journal-preview-card__label", content.label));
    box.appendChild(element("p", "journal-preview-card__title", content.title));
    if (content.text) box.appendChild(element("p", "journal-preview-card__text", content.text));
  }

  function place(link) {
    const box = ensureCard();
    const rect = link.getBoundingClientRect();
    const width = box.offsetWidth;
    const height = box.offsetHeight;
    const gap = 6;
    const left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    const below = rect.bottom + gap + height <= window.innerHeight || rect.top < height + gap;
    const top = below ? rect.bottom + gap : rect.top - gap - height;
    box.style.left = `${left + window.scrollX}px`;
    box.style.top = `${top + window.scrollY}px`;
  }

  async function show(link) {
    const where = target(link);
    if (!where) return;
    const mine = ++request;
    const data = await load(where.docname);
    if (mine !== request || !data) return;
    if (current && current !== link) current.removeAttribute("aria-describedby");
    fill(describe(data, where.anchor));
    current = link;
    link.setAttribute("aria-describedby", "journal-preview-card");
    card.hidden = false;
    place(link);
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    request++;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    if (card) card.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  const previewLink = (node) => (node instanceof Element ? node.closest("a.journal-preview[href]") : null);

  document.addEventListener("mouseover", (event) => {
    const link = previewLink(event.target);
    if (!link || link === dismissed) return;
    clearTimeout(hideTimer);
    if (link === current) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(() => show(link), SHOW_DELAY);
  });
  document.addEventListener("mouseout", (event) => {
    const link = previewLink(event.target);
    if (!link || (event.relatedTarget instanceof Node && link.contains(event.relatedTarget))) return;
    if (link === dismissed) dismissed = null;
    if (card && event.relatedTarget instanceof Node && card.contains(event.relatedTarget)) return;
    scheduleHide();
  });
  document.addEventListener("focusin", (event) => {
    const link = previewLink(event.target);
    if (link) {
      clearTimeout(showTimer);
      show(link);
    }
  });
  document.addEventListener("focusout", (event) => {
    const link = previewLink(event.target);
    if (link === dismissed) dismissed = null;
    if (link) hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && card && !card.hidden) {
      dismissed = current;
      hide();
    }
  });
  window.addEventListener("resize", hide);
})();
