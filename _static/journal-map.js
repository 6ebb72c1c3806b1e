/* The map of the garden (map.html only): zoom and pan through the SVG's viewBox, and the tag and
   "글 보이기" filters, which hide nodes, their lines and their list items by a class. The map is
   drawn at build time (journal/pages/gardenmap.py); without this script it is shown whole. */
(function () {
  "use strict";
  const map = document.querySelector(".journal-map");
  if (!map) return;
  const svg = map.querySelector(".journal-map__svg");
  const size = svg.viewBox.baseVal.width;
  let view = {x: 0, y: 0, w: size};
  const show = () => svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.w}`);
  const zoom = (factor) => {
    const w = Math.min(size, Math.max(size / 8, view.w * factor));
    view = {x: view.x + (view.w - w) / 2, y: view.y + (view.w - w) / 2, w: w};
    show();
  };
  map.querySelectorAll("[data-zoom]").forEach((button) => button.addEventListener("click", () => {
    const how = button.dataset.zoom;
    if (how === "reset") { view = {x: 0, y: 0, w: size}; show(); } else zoom(how === "in" ? 0.7 : 1 / 0.7);
  }));
  let drag = null;
  let dragged = false;
  svg.addEventListener("pointerdown", (event) => { drag = {x: event.clientX, y: event.clientY, view: view}; dragged = false; });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const scale = view.w / svg.clientWidth;
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) dragged = true;
    if (dragged) { view = {x: drag.view.x - dx * scale, y: drag.view.y - dy * scale, w: view.w}; show(); }
  });
  const stop = () => { drag = null; };
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointerleave", stop);
  svg.addEventListener("click", (event) => { if (dragged) { event.preventDefault(); dragged = false; } }, true);

  const tagSelect = map.querySelector(".journal-map__tag");
  const postsBox = map.querySelector(".journal-map__posts");
  const nodes = [...map.querySelectorAll(".journal-map__node")];
  const items = [...map.querySelectorAll(".journal-map__item")];
  const edges = [...map.querySelectorAll(".journal-map__edge")];
  const visible = (element) => {
    const tag = tagSelect.value;
    if (!postsBox.checked && element.dataset.kind === "post") return false;
    return !tag || element.dataset.tags.split(" ").includes(tag);
  };
  const filter = () => {
    const shown = nodes.map(visible);
    nodes.forEach((node, index) => node.classList.toggle("journal-map--hidden", !shown[index]));
    items.forEach((item) => item.classList.toggle("journal-map--hidden", !visible(item)));
    edges.forEach((edge) => {
      const [a, b] = edge.dataset.ends.split(" ").map(Number);
      edge.classList.toggle("journal-map--hidden", !(shown[a] && shown[b]));
    });
  };
  tagSelect.addEventListener("change", filter);
  postsBox.addEventListener("change", filter);
  map.querySelector(".journal-map__controls").hidden = false;
})();
