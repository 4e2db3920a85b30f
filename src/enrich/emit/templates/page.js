/* Search, filters, sorting and the chart's clicks. Plain JavaScript, no library.
   The papers are already in the page; this only hides, shows and moves them. */
(function () {
  "use strict";
  const byId = (id) => document.getElementById(id);
  const papers = JSON.parse(byId("paper-data").textContent);
  const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  papers.forEach((paper, index) => {
    paper.index = index;
    paper.haystack = fold(paper.search);
    paper.element = byId("paper-" + index);
  });

  const search = byId("search");
  const filters = {
    section: byId("filter-section"),
    venue: byId("filter-venue"),
    year: byId("filter-year"),
    status: byId("filter-status"),
  };
  const sort = byId("sort");
  const grouped = byId("group");
  const form = byId("controls");
  const shown = byId("shown");
  const nothing = byId("nothing");
  const flat = byId("flat");
  const groups = new Map();
  document.querySelectorAll("section.group[data-section]").forEach((group) => {
    groups.set(group.dataset.section, group);
  });
  const bars = Array.from(document.querySelectorAll(".chart button[data-filter]"));

  const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  /* Papers without the value sort last whatever the direction; ties keep the list's order. */
  const by = (key, order) => (a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return a.index - b.index;
    if (x === null) return 1;
    if (y === null) return -1;
    return order(x, y) || a.index - b.index;
  };
  const orders = {
    list: (a, b) => a.index - b.index,
    "year-desc": by("year", (x, y) => y - x),
    "year-asc": by("year", (x, y) => x - y),
    venue: by("venue", (x, y) => collator.compare(x, y)),
    citations: by("citations", (x, y) => y - x),
    title: by("title", (x, y) => collator.compare(x, y)),
  };

  function wanted() {
    return {
      terms: fold(search.value).split(/\s+/).filter(Boolean),
      section: filters.section.value,
      venue: filters.venue.value,
      year: filters.year.value,
      status: filters.status.value,
    };
  }

  function keeps(paper, want) {
    if (!want.terms.every((term) => paper.haystack.includes(term))) return false;
    if (want.section && !paper.sections.includes(want.section)) return false;
    if (want.venue && (paper.venue || "none") !== want.venue) return false;
    if (want.year && (paper.year === null ? "none" : String(paper.year)) !== want.year) return false;
    if (want.status === "stale") return paper.stale;
    if (want.status === "review") return paper.review;
    return !want.status || paper.status === want.status;
  }

  function home(paper, want) {
    return want.section && paper.sections.includes(want.section) ? want.section : paper.sections[0];
  }

  function update() {
    const want = wanted();
    const chosen = papers.filter((paper) => keeps(paper, want));
    chosen.sort(orders[sort.value] || orders.list);
    const visible = new Set(chosen);
    papers.forEach((paper) => { paper.element.hidden = !visible.has(paper); });
    const counts = new Map();
    chosen.forEach((paper) => {
      const group = grouped.checked ? groups.get(home(paper, want)) : flat;
      group.querySelector(".paper-list").appendChild(paper.element);
      counts.set(group, (counts.get(group) || 0) + 1);
    });
    groups.forEach((group) => {
      const count = counts.get(group) || 0;
      group.hidden = count === 0;
      group.querySelector(".group-count").textContent = String(count);
    });
    flat.hidden = grouped.checked || chosen.length === 0;
    nothing.hidden = chosen.length > 0;
    shown.textContent = chosen.length === papers.length
      ? papers.length + " papers"
      : chosen.length + " of " + papers.length + " papers";
    bars.forEach((bar) => {
      const pressed = filters[bar.dataset.filter].value === bar.dataset.value;
      bar.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }

  function clear() {
    form.reset();
    update();
  }

  search.addEventListener("input", update);
  Object.values(filters).forEach((select) => select.addEventListener("change", update));
  sort.addEventListener("change", update);
  grouped.addEventListener("change", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => window.setTimeout(update, 0));
  byId("clear").addEventListener("click", clear);
  bars.forEach((bar) => bar.addEventListener("click", () => {
    const select = filters[bar.dataset.filter];
    select.value = select.value === bar.dataset.value ? "" : bar.dataset.value;
    update();
  }));
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement !== search) {
      event.preventDefault();
      search.focus();
    }
  });
  update();
})();
