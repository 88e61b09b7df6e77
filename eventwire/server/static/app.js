// eventwire's page: explore, check and correct events. No build step, no framework.
//
// Safety: every text from the store (titles, article text, names) goes into the page as text
// nodes (textContent), never as HTML, and links are only made from http(s) URLs. The server's
// Content-Security-Policy allows no inline script, so even a slip here would not run one.
"use strict";

(() => {
  const TYPES = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
  ];
  const COLORS = ["#d62728", "#ff7f0e", "#9467bd", "#1f77b4", "#8c564b", "#7f7f7f", "#333333"];
  const FILTERS = [
    "event_type", "sub_event_type", "country", "actor", "q", "since", "until", "min_fatalities",
    "corrected",
  ];
  const PAGE = 1000;      // events per request
  const MAP_LIMIT = 5000; // events drawn at most; the summary says when there are more
  const DAY = 86400000;

  const state = {
    meta: null,
    events: [],
    total: 0,
    nextCursor: null,
    sort: "date",
    selected: null, // {id, article}
    stats: null,
    loadId: 0,
  };

  // -- small helpers ----------------------------------------------------------------------------

  const $ = (sel) => document.querySelector(sel);

  // an element with attributes and children; strings become text nodes, never markup
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }

  function typeIndex(type) {
    const i = TYPES.indexOf(type);
    return i < 0 ? 6 : i;
  }

  function colorOf(type) {
    return COLORS[typeIndex(type)];
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function showStatus(message) {
    $("#status").textContent = message || "";
  }

  async function api(path, options) {
    const response = await fetch(path, options);
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : response.statusText;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function when(date) {
    if (!date || !date.start) return "undated";
    if (date.end && date.end !== date.start) return `${date.start} – ${date.end}`;
    return date.start + (date.precision && date.precision !== "day" ? ` (${date.precision})` : "");
  }

  function countText(count) {
    if (!count) return "";
    if (count.count === null || count.count === undefined) return "unknown";
    const sign = { at_least: "≥", at_most: "≤", approx: "~" }[count.qualifier] || "";
    return sign + count.count;
  }

  function actorsText(event) {
    const names = [event.actor1, event.actor2].filter(Boolean).map((a) => a.name);
    return names.join(" vs ");
  }

  function placeText(event) {
    const loc = event.location;
    if (!loc) return "";
    return loc.country_code ? `${loc.name} (${loc.country_code})` : loc.name;
  }

  // -- filters and the URL ----------------------------------------------------------------------

  function readFilters() {
    const form = $("#filters");
    const out = {};
    for (const name of FILTERS) {
      const field = form.elements[name];
      if (!field) continue;
      const value = field.type === "checkbox" ? (field.checked ? "true" : "") : field.value.trim();
      if (value) out[name] = value;
    }
    return out;
  }

  function writeFilters(values) {
    const form = $("#filters");
    for (const name of FILTERS) {
      const field = form.elements[name];
      if (!field) continue;
      if (field.type === "checkbox") field.checked = values[name] === "true";
      else {
        if (field.tagName === "SELECT" && values[name] && !hasOption(field, values[name])) {
          field.append(el("option", { value: values[name] }, values[name]));
        }
        field.value = values[name] || "";
      }
    }
  }

  function hasOption(select, value) {
    return Array.from(select.options).some((o) => o.value === value);
  }

  function query(values, extra) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v !== "" && v !== undefined) params.set(k, v);
    for (const [k, v] of Object.entries(extra || {})) if (v !== null && v !== undefined) params.set(k, v);
    return params.toString();
  }

  function syncUrl() {
    const extra = {};
    if (state.sort !== "date") extra.sort = state.sort;
    if (state.selected) {
      extra.event = state.selected.id;
      if (state.selected.article) extra.article = state.selected.article;
    }
    const q = query(readFilters(), extra);
    const url = q ? `?${q}` : location.pathname;
    if (url !== location.search && !(url === location.pathname && !location.search)) {
      history.replaceState(null, "", url);
    }
  }

  function fromUrl() {
    const params = new URLSearchParams(location.search);
    const values = {};
    for (const name of FILTERS) if (params.get(name)) values[name] = params.get(name);
    writeFilters(values);
    updateSubTypes();
    if (params.get("sub_event_type")) $("#f-sub").value = params.get("sub_event_type");
    state.sort = params.get("sort") || "date";
    const id = params.get("event");
    state.selected = id ? { id, article: params.get("article") } : null;
  }

  function updateSubTypes() {
    const type = $("#f-type").value;
    const select = $("#f-sub");
    const current = select.value;
    select.replaceChildren(el("option", { value: "" }, "any"));
    const types = state.meta ? state.meta.event_types : {};
    for (const [name, subs] of Object.entries(types)) {
      if (type && type !== name) continue;
      for (const sub of subs) select.append(el("option", { value: sub }, sub));
    }
    select.value = hasOption(select, current) ? current : "";
  }

  // -- loading ----------------------------------------------------------------------------------

  async function reload() {
    syncUrl();
    const id = ++state.loadId;
    const filters = readFilters();
    showStatus("");
    try {
      const [page, stats] = await Promise.all([
        api(`/api/events?${query(filters, { limit: PAGE })}`),
        api(`/api/stats?${query({ ...filters, since: "", until: "" })}`),
      ]);
      if (id !== state.loadId) return; // a newer load started meanwhile
      state.events = page.events;
      state.total = page.total;
      state.nextCursor = page.next_cursor;
      state.stats = stats;
      while (state.nextCursor && state.events.length < MAP_LIMIT) {
        const more = await api(`/api/events?${query(filters, { limit: PAGE, cursor: state.nextCursor })}`);
        if (id !== state.loadId) return;
        state.events = state.events.concat(more.events);
        state.nextCursor = more.next_cursor;
      }
      drawMap();
      drawList();
      drawTimeline();
      document.body.dataset.loaded = String(state.loadId);
    } catch (error) {
      showStatus(`Could not load events: ${error.message}`);
    }
  }

  async function loadMore() {
    if (!state.nextCursor) return;
    const filters = readFilters();
    try {
      const more = await api(`/api/events?${query(filters, { limit: PAGE, cursor: state.nextCursor })}`);
      state.events = state.events.concat(more.events);
      state.nextCursor = more.next_cursor;
      drawMap();
      drawList();
    } catch (error) {
      showStatus(`Could not load more events: ${error.message}`);
    }
  }

  // -- the map ----------------------------------------------------------------------------------

  let map = null;
  let cluster = null;
  let fitted = false;

  function setupMap() {
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 14 }).setView([25, 20], 2);
    if (state.meta.tiles) {
      L.tileLayer(state.meta.tiles, { maxZoom: 18, attribution: "map tiles: see the server's --tiles" }).addTo(map);
    }
    map.attributionControl.addAttribution("Natural Earth");
    // the basemap in its own pane under the markers, whenever it arrives
    map.createPane("basemap");
    map.getPane("basemap").style.zIndex = 250;
    fetch("/static/vendor/world-atlas/countries-50m.json")
      .then((r) => r.json())
      .then((topology) => {
        const land = topojson.feature(topology, topology.objects.countries);
        L.geoJSON(land, {
          pane: "basemap",
          interactive: false,
          style: { color: "#9aa5b1", weight: 0.6, fillColor: "#f7f5ef", fillOpacity: state.meta.tiles ? 0 : 1 },
        }).addTo(map);
        document.body.dataset.basemap = "loaded";
      })
      .catch(() => showStatus("The world basemap could not be loaded."));
    cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      iconCreateFunction: clusterIcon,
    });
    map.addLayer(cluster);
  }

  // a cluster: coloured by its most frequent event type, sized by how many events it holds
  function clusterIcon(group) {
    const markers = group.getAllChildMarkers();
    const counts = new Array(COLORS.length).fill(0);
    for (const m of markers) counts[m.options.typeIndex] += 1;
    const top = counts.indexOf(Math.max(...counts));
    const n = markers.length;
    const size = n < 10 ? 30 : n < 100 ? 38 : 46;
    const html = el("div", { class: `ev-cluster t${top}`, text: String(n) });
    html.style.width = `${size}px`;
    html.style.height = `${size}px`;
    return L.divIcon({ html, className: "ev-cluster-icon", iconSize: L.point(size, size) });
  }

  function drawMap() {
    cluster.clearLayers();
    const markers = [];
    for (const event of state.events) {
      const loc = event.location;
      if (!loc || loc.latitude === null || loc.longitude === null) continue;
      const killed = event.fatalities && event.fatalities.count ? event.fatalities.count : 0;
      const marker = L.circleMarker([loc.latitude, loc.longitude], {
        radius: 6 + 2.2 * Math.sqrt(killed),
        color: "#222",
        weight: 1,
        fillColor: colorOf(event.event_type),
        fillOpacity: 0.85,
        className: "ev-marker",
        typeIndex: typeIndex(event.event_type),
      });
      marker.bindTooltip(
        el("div", {}, el("strong", {}, event.sub_event_type), el("br"), when(event.date), " · ",
          placeText(event), killed ? ` · ${killed} killed` : ""),
      );
      marker.on("click", () => openEvent(event.id, event.article.id));
      markers.push(marker);
    }
    cluster.addLayers(markers);
    $("#map").dataset.plotted = String(markers.length);
    if (markers.length && !fitted) {
      map.fitBounds(cluster.getBounds().pad(0.3), { maxZoom: 7 });
      fitted = true;
    }
  }

  // -- the list ---------------------------------------------------------------------------------

  const SORTS = {
    date: (e) => (e.date && e.date.start) || "~",
    type: (e) => `${e.event_type} ${e.sub_event_type}`,
    actors: (e) => actorsText(e).toLowerCase(),
    location: (e) => placeText(e).toLowerCase(),
    fatalities: (e) => (e.fatalities && e.fatalities.count) || 0,
  };

  function sortedEvents() {
    const descending = state.sort.startsWith("-");
    const key = SORTS[state.sort.replace(/^-/, "")] || SORTS.date;
    const rows = state.events.slice();
    rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -c : c;
    });
    return rows;
  }

  function drawList() {
    const body = $("#list tbody");
    const rows = sortedEvents().map((event) => {
      const row = el(
        "tr",
        { "data-id": event.id, "data-article": event.article.id },
        el("td", {}, when(event.date)),
        el(
          "td",
          {},
          el(
            "span",
            { class: "type-cell" },
            swatch(event.event_type),
            el("span", {}, event.sub_event_type),
            event.corrected ? el("span", { class: "badge", title: "corrected by hand" }, "corrected") : null,
            event.not_event ? el("span", { class: "badge not-event" }, "not an event") : null,
          ),
        ),
        el("td", {}, actorsText(event)),
        el("td", {}, placeText(event)),
        el("td", { class: "num" }, countText(event.fatalities)),
      );
      if (state.selected && state.selected.id === event.id) row.classList.add("selected");
      row.addEventListener("click", () => openEvent(event.id, event.article.id));
      return row;
    });
    body.replaceChildren(...rows);
    for (const th of document.querySelectorAll("#list th")) {
      const key = th.dataset.sort;
      th.removeAttribute("aria-sort");
      if (state.sort === key) th.setAttribute("aria-sort", "ascending");
      if (state.sort === `-${key}`) th.setAttribute("aria-sort", "descending");
    }
    const shown = state.events.length;
    $("#summary").textContent =
      shown < state.total
        ? `${state.total.toLocaleString()} events; the first ${shown.toLocaleString()} by date are shown`
        : `${state.total.toLocaleString()} event${state.total === 1 ? "" : "s"}`;
    $("#more").hidden = !state.nextCursor;
  }

  function swatch(type) {
    const node = el("span", { class: "swatch", title: type });
    node.style.background = colorOf(type);
    return node;
  }

  function drawLegend() {
    $("#legend").replaceChildren(...TYPES.map((t) => el("li", {}, swatch(t), t)));
  }

  // -- the timeline -----------------------------------------------------------------------------

  const timeline = { x0: 0, x1: 0, start: 0, end: 0, width: 0, dragging: null };

  function drawTimeline() {
    const node = $("#timeline-svg");
    const width = node.clientWidth || 600;
    const height = 130;
    const pad = { left: 30, right: 10, top: 8, bottom: 20 };
    node.setAttribute("viewBox", `0 0 ${width} ${height}`);
    node.replaceChildren();
    const stats = state.stats;
    if (!stats || !stats.first_date) {
      $("#timeline-note").textContent = "No dated events.";
      return;
    }
    let start = Date.parse(stats.first_date);
    let end = Date.parse(stats.last_date || stats.first_date) + DAY;
    const span = (end - start) / DAY;
    const byWeek = span > 120;
    const periods = byWeek ? stats.by_week : stats.by_day;
    const step = byWeek ? 7 * DAY : DAY;
    if (byWeek) start = Math.min(start, ...periods.map((p) => Date.parse(p.start)));
    end = Math.max(end, ...periods.map((p) => Date.parse(p.start) + step));
    // a little room either side, so that a single day is a bar, not a line at the edge
    start -= step;
    end += step;
    Object.assign(timeline, { start, end, width, x0: pad.left, x1: width - pad.right });
    const x = (t) => pad.left + ((t - start) / (end - start)) * (width - pad.left - pad.right);
    const max = Math.max(1, ...periods.map((p) => Object.values(p.counts).reduce((a, b) => a + b, 0)));
    const y = (n) => ((height - pad.top - pad.bottom) * n) / max;
    const barWidth = Math.max(1, x(start + step) - x(start) - 1);
    for (const period of periods) {
      const t = Date.parse(period.start);
      let base = height - pad.bottom;
      for (const type of [...TYPES, ...Object.keys(period.counts).filter((k) => !TYPES.includes(k))]) {
        const n = period.counts[type];
        if (!n) continue;
        const h = y(n);
        base -= h;
        const rect = svg("rect", { x: x(t), y: base, width: barWidth, height: h, fill: colorOf(type), class: "bar" });
        rect.append(svg("title"));
        rect.firstChild.textContent = `${period.start}: ${n} ${type}`;
        node.append(rect);
      }
    }
    const axis = svg("g", { class: "axis" });
    axis.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom }));
    const ticks = 6;
    for (let i = 0; i <= ticks; i++) {
      const t = start + ((end - start) * i) / ticks;
      const anchor = i === 0 ? "start" : i === ticks ? "end" : "middle";
      const label = svg("text", { x: x(t), y: height - 5, "text-anchor": anchor });
      label.textContent = new Date(t).toISOString().slice(0, 10);
      axis.append(label);
    }
    const top = svg("text", { x: 2, y: pad.top + 8 });
    top.textContent = String(max);
    axis.append(top);
    node.append(axis);
    const filters = readFilters();
    if (filters.since || filters.until) {
      const a = filters.since ? Date.parse(filters.since) : start;
      const b = filters.until ? Date.parse(filters.until) + DAY : end;
      node.append(svg("rect", { class: "brush", x: x(a), y: pad.top, width: Math.max(2, x(b) - x(a)), height: height - pad.top - pad.bottom }));
    }
    $("#timeline-note").textContent =
      `Events per ${byWeek ? "week" : "day"} by type. Drag across the bars to select dates; click to clear.`;
  }

  function timeAt(clientX) {
    const box = $("#timeline-svg").getBoundingClientRect();
    const px = ((clientX - box.left) / box.width) * timeline.width;
    const f = Math.min(1, Math.max(0, (px - timeline.x0) / (timeline.x1 - timeline.x0)));
    return timeline.start + f * (timeline.end - timeline.start);
  }

  function setupBrush() {
    const node = $("#timeline-svg");
    node.addEventListener("pointerdown", (e) => {
      if (!state.stats || !state.stats.first_date) return;
      node.setPointerCapture(e.pointerId);
      timeline.dragging = { from: e.clientX, to: e.clientX };
    });
    node.addEventListener("pointermove", (e) => {
      if (!timeline.dragging) return;
      timeline.dragging.to = e.clientX;
      const box = node.getBoundingClientRect();
      const scale = timeline.width / box.width;
      const a = (Math.min(timeline.dragging.from, e.clientX) - box.left) * scale;
      const b = (Math.max(timeline.dragging.from, e.clientX) - box.left) * scale;
      let rect = node.querySelector("rect.brush");
      if (!rect) {
        rect = svg("rect", { class: "brush", y: 8, height: 102 });
        node.append(rect);
      }
      rect.setAttribute("x", a);
      rect.setAttribute("width", Math.max(1, b - a));
    });
    node.addEventListener("pointerup", (e) => {
      const drag = timeline.dragging;
      timeline.dragging = null;
      if (!drag) return;
      const form = $("#filters");
      if (Math.abs(e.clientX - drag.from) < 4) {
        form.elements.since.value = "";
        form.elements.until.value = "";
      } else {
        const a = timeAt(Math.min(drag.from, e.clientX));
        const b = timeAt(Math.max(drag.from, e.clientX));
        form.elements.since.value = new Date(a).toISOString().slice(0, 10);
        form.elements.until.value = new Date(Math.max(a, b - 1)).toISOString().slice(0, 10);
      }
      reload();
    });
  }

  // -- the event panel --------------------------------------------------------------------------

  async function openEvent(id, article) {
    state.selected = { id, article: article || null };
    syncUrl();
    for (const row of document.querySelectorAll("#list tbody tr")) {
      row.classList.toggle("selected", row.dataset.id === id);
    }
    const q = article ? `?${query({ article })}` : "";
    try {
      const detail = await api(`/api/events/${encodeURIComponent(id)}${q}`);
      drawPanel(detail);
    } catch (error) {
      showStatus(`Could not open event ${id}: ${error.message}`);
    }
  }

  function closePanel() {
    state.selected = null;
    $("#panel").hidden = true;
    syncUrl();
    for (const row of document.querySelectorAll("#list tbody tr.selected")) row.classList.remove("selected");
  }

  // the article's text with the evidence spans as <mark>s: slices of text, each a text node
  function highlighted(text, spans) {
    const container = el("div", { class: "article-text" });
    const sorted = spans
      .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start)
      .sort((a, b) => a.start - b.start);
    let at = 0;
    for (const span of sorted) {
      const start = Math.max(span.start, at);
      if (span.end <= start) continue;
      if (start > at) container.append(document.createTextNode(text.slice(at, start)));
      container.append(el("mark", { class: "evidence" }, text.slice(start, span.end)));
      at = span.end;
    }
    if (at < text.length) container.append(document.createTextNode(text.slice(at)));
    return container;
  }

  function drawPanel(detail) {
    const event = detail.event;
    const article = detail.article;
    const body = $("#panel-body");
    const url = article.url ? safeUrl(article.url) : null;
    const fields = [
      ["Type", `${event.event_type} › ${event.sub_event_type}`],
      ["Date", when(event.date) + (event.date && event.date.text ? ` (“${event.date.text}”)` : "")],
      ["Actor 1", event.actor1 ? `${event.actor1.name}${event.actor1.type ? ` · ${event.actor1.type}` : ""}` : "—"],
      ["Actor 2", event.actor2 ? `${event.actor2.name}${event.actor2.type ? ` · ${event.actor2.type}` : ""}` : "—"],
      ["Place", event.location ? `${placeText(event)} · precision ${event.location.precision}` : "—"],
      ["Killed", countText(event.fatalities) || "—"],
      ["Injured", countText(event.injured) || "—"],
      ["Confidence", event.confidence.toFixed(2)],
      ["Notes", event.notes || "—"],
    ];
    const history = detail.corrections.map((c) =>
      el("li", {}, `${c.at.replace("T", " ").slice(0, 16)}: ${Object.keys(c.changes).concat(c.not_event === null ? [] : ["not_event"]).join(", ")}`,
        c.reason ? ` — “${c.reason}”` : ""),
    );
    body.replaceChildren(
      el("h2", { id: "panel-title" }, swatch(event.event_type), " ", event.sub_event_type,
        event.corrected ? el("span", { class: "badge", id: "corrected-badge" }, "corrected") : null,
        event.not_event ? el("span", { class: "badge not-event" }, "not an event") : null),
      el("dl", { id: "panel-fields" }, fields.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { "data-field": k }, v)])),
      history.length ? el("div", {}, el("h3", {}, "Corrections"), el("ul", { class: "history" }, history)) : null,
      el("h3", {}, "Article"),
      el("p", { class: "article-title", id: "article-title" }, article.title || article.id),
      el("p", { class: "note" }, article.published ? `published ${article.published}` : "no publication date",
        article.source ? ` · ${article.source}` : "",
        url ? " · " : "", url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, "original") : null),
      highlighted(article.text, event.evidence),
      el("h3", {}, "Correct this event"),
      correctionForm(event),
    );
    $("#panel").hidden = false;
    const mark = body.querySelector("mark.evidence");
    if (mark) mark.scrollIntoView({ block: "center" });
    body.parentElement.scrollTop = 0;
  }

  function input(name, value, attrs) {
    return el("input", { name, id: `c-${name}`, value: value === null || value === undefined ? "" : value, ...(attrs || {}) });
  }

  function labelled(label, name, control) {
    return [el("label", { for: `c-${name}` }, label), control];
  }

  function correctionForm(event) {
    const types = state.meta.event_types;
    const type = el("select", { name: "event_type", id: "c-event_type" }, Object.keys(types).map((t) => el("option", { value: t }, t)));
    type.value = event.event_type;
    const sub = el("select", { name: "sub_event_type", id: "c-sub_event_type" });
    const fillSubs = () => {
      sub.replaceChildren(...(types[type.value] || []).map((s) => el("option", { value: s }, s)));
      if (hasOption(sub, event.sub_event_type)) sub.value = event.sub_event_type;
    };
    type.addEventListener("change", fillSubs);
    fillSubs();
    const qualifier = el("select", { name: "fatalities_qualifier", id: "c-fatalities_qualifier" },
      ["exact", "at_least", "at_most", "approx", "unknown"].map((q) => el("option", { value: q }, q)));
    qualifier.value = event.fatalities ? event.fatalities.qualifier : "exact";
    const loc = event.location || {};
    const form = el(
      "form",
      { id: "correction", novalidate: true },
      labelled("Type", "event_type", type),
      labelled("Sub-type", "sub_event_type", sub),
      labelled("Date from", "date_start", input("date_start", event.date.start, { type: "date" })),
      labelled("Date to", "date_end", input("date_end", event.date.end, { type: "date" })),
      labelled("Actor 1", "actor1", input("actor1", event.actor1 && event.actor1.name)),
      labelled("Actor 2", "actor2", input("actor2", event.actor2 && event.actor2.name)),
      labelled("Place", "location_name", input("location_name", loc.name)),
      labelled("Lat, lon", "latitude", el("span", { class: "row" },
        input("latitude", loc.latitude, { type: "number", step: "any", min: -90, max: 90 }),
        input("longitude", loc.longitude, { type: "number", step: "any", min: -180, max: 180, "aria-label": "longitude" }))),
      labelled("Country", "country_code", input("country_code", loc.country_code, { maxlength: 2, size: 2 })),
      labelled("Killed", "fatalities", el("span", { class: "row" },
        input("fatalities", event.fatalities ? event.fatalities.count : "", { type: "number", min: 0, step: 1 }), qualifier)),
      labelled("Injured", "injured", input("injured", event.injured ? event.injured.count : "", { type: "number", min: 0, step: 1 })),
      labelled("Not an event", "not_event", el("input", { type: "checkbox", name: "not_event", id: "c-not_event", checked: event.not_event })),
      labelled("Why", "reason", input("reason", "", { placeholder: "what the article says", maxlength: 2000 })),
      state.meta.write_token_required
        ? labelled("Token", "token", input("token", sessionStorage.getItem("eventwire-token") || "", { type: "password", autocomplete: "off" }))
        : null,
      el("button", { type: "submit", id: "c-save" }, "Save correction"),
      el("p", { id: "correction-status", role: "status" }),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      saveCorrection(form, event);
    });
    return form;
  }

  function numberOrNull(value) {
    if (value === "" || value === null || value === undefined) return null;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }

  // the merge patch: only what the analyst changed
  function changesFrom(form, event) {
    const f = form.elements;
    const changes = {};
    if (f.sub_event_type.value !== event.sub_event_type || f.event_type.value !== event.event_type) {
      changes.event_type = f.event_type.value;
      changes.sub_event_type = f.sub_event_type.value;
    }
    const start = f.date_start.value || null;
    const end = f.date_end.value || start;
    if (start !== (event.date.start || null) || end !== (event.date.end || event.date.start || null)) {
      changes.date = start
        ? { start, end, precision: end && end !== start ? "range" : "day" }
        : { start: null, end: null };
    }
    for (const key of ["actor1", "actor2"]) {
      const name = f[key].value.trim();
      const before = event[key] ? event[key].name : "";
      if (name !== before) changes[key] = name ? (event[key] ? { name } : { name }) : null;
    }
    const loc = event.location || {};
    const place = {
      name: f.location_name.value.trim(),
      latitude: numberOrNull(f.latitude.value),
      longitude: numberOrNull(f.longitude.value),
      country_code: f.country_code.value.trim().toUpperCase() || null,
    };
    if (!place.name && (loc.name || "")) changes.location = null;
    else if (place.name && (place.name !== (loc.name || "") || place.latitude !== (loc.latitude ?? null) ||
      place.longitude !== (loc.longitude ?? null) || place.country_code !== (loc.country_code || null))) {
      changes.location = place;
    }
    const killed = numberOrNull(f.fatalities.value);
    const qualifier = f.fatalities_qualifier.value;
    const before = event.fatalities;
    if (killed !== (before ? before.count : null) || (before && qualifier !== before.qualifier) || (!before && killed !== null)) {
      changes.fatalities = killed === null && qualifier !== "unknown" ? null : { count: killed, qualifier };
    }
    const injured = numberOrNull(f.injured.value);
    if (injured !== (event.injured ? event.injured.count : null)) {
      changes.injured = injured === null ? null : { count: injured, qualifier: "exact" };
    }
    if (f.not_event.checked !== Boolean(event.not_event)) changes.not_event = f.not_event.checked;
    return changes;
  }

  async function saveCorrection(form, event) {
    const status = form.querySelector("#correction-status");
    const changes = changesFrom(form, event);
    if (!Object.keys(changes).length) {
      status.textContent = "Nothing changed.";
      return;
    }
    const reason = form.elements.reason.value.trim();
    if (reason) changes.reason = reason;
    const headers = { "Content-Type": "application/json" };
    if (form.elements.token) {
      const token = form.elements.token.value;
      sessionStorage.setItem("eventwire-token", token);
      headers.Authorization = `Bearer ${token}`;
    }
    status.textContent = "Saving…";
    const q = event.article ? `?${query({ article: event.article.id })}` : "";
    try {
      const detail = await api(`/api/events/${encodeURIComponent(event.id)}${q}`, {
        method: "PATCH",
        headers,
        body: JSON.stringify(changes),
      });
      drawPanel(detail);
      $("#correction-status").textContent = "Saved.";
      reload();
    } catch (error) {
      status.textContent = `Not saved: ${error.message}`;
    }
  }

  // -- start ------------------------------------------------------------------------------------

  async function start() {
    try {
      state.meta = await api("/api/meta");
    } catch (error) {
      showStatus(`The server did not answer: ${error.message}`);
      return;
    }
    for (const type of Object.keys(state.meta.event_types)) $("#f-type").append(el("option", { value: type }, type));
    try {
      const stats = await api("/api/stats");
      for (const code of Object.keys(stats.by_country).filter(Boolean).sort()) {
        $("#f-country").append(el("option", { value: code }, code));
      }
    } catch (error) {
      showStatus(`Could not load the countries: ${error.message}`);
    }
    fromUrl();
    drawLegend();
    setupMap();
    setupBrush();
    const form = $("#filters");
    let typing = null;
    form.addEventListener("change", (e) => {
      if (e.target.name === "event_type") updateSubTypes();
      reload();
    });
    form.addEventListener("input", (e) => {
      if (e.target.type !== "search" && e.target.type !== "number") return;
      clearTimeout(typing);
      typing = setTimeout(reload, 350);
    });
    form.addEventListener("submit", (e) => e.preventDefault());
    $("#clear").addEventListener("click", () => {
      writeFilters({});
      updateSubTypes();
      reload();
    });
    for (const th of document.querySelectorAll("#list th")) {
      th.addEventListener("click", () => {
        const key = th.dataset.sort;
        state.sort = state.sort === key ? `-${key}` : key;
        syncUrl();
        drawList();
      });
    }
    $("#more").addEventListener("click", loadMore);
    $("#panel-close").addEventListener("click", closePanel);
    window.addEventListener("popstate", () => {
      fromUrl();
      reload();
    });
    window.addEventListener("resize", () => drawTimeline());
    await reload();
    if (state.selected) openEvent(state.selected.id, state.selected.article);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
