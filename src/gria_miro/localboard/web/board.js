// Le plateau GR:IA dans le navigateur : affiche le tableau local servi par `gria-miro serve`, et le modifie
// par les mêmes routes REST que Miro (/v2/boards/…), avec le jeton du lien d'accès. Les changements des
// autres navigateurs arrivent par le flux /local/events (server-sent events lus avec fetch, pour que le
// jeton voyage dans un en-tête et jamais dans une adresse). Aucune dépendance, aucune étape de build.
"use strict";

(function () {
  const MIN_SCALE = 0.05;
  const MAX_SCALE = 3;
  const DRAG_THRESHOLD = 4; // pixels avant qu'un appui devienne un glisser
  const STICKY_COLOURS = {
    gray: "#f5f6f8", light_yellow: "#fff9b1", yellow: "#f5d128", orange: "#ff9d48", light_green: "#d5f692",
    green: "#c9df56", dark_green: "#93d275", cyan: "#67c6c0", light_pink: "#ffcee0", pink: "#ea94bb",
    violet: "#c6a2d2", red: "#f0939d", light_blue: "#a6ccf5", blue: "#6cd8fa", dark_blue: "#9ea9ff", black: "#000000",
  };
  const ALLOWED_TAGS = new Set(["P", "BR", "STRONG", "B", "EM", "I", "U", "S", "UL", "OL", "LI", "SPAN", "DIV"]);
  const DROPPED_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "SVG", "MATH"]);
  const MOVABLE = new Set(["card", "app_card", "sticky_note", "shape", "text"]);
  const FOCUSABLE = new Set(["card", "app_card", "sticky_note"]);

  const $ = (id) => document.getElementById(id);
  const state = {
    token: "", team: null, boardId: "", label: "", rev: 0,
    items: new Map(), elements: new Map(), members: new Map(),
    view: { x: 0, y: 0, scale: 0.3 }, selected: null, teamPrefixes: [],
  };

  // ---- accès --------------------------------------------------------------------------------------------
  function readLink() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (params.get("k")) {
      sessionStorage.setItem("gria-k", params.get("k"));
      sessionStorage.setItem("gria-equipe", params.get("equipe") || "");
      history.replaceState(null, "", location.pathname); // le jeton quitte la barre d'adresse
    }
    state.token = sessionStorage.getItem("gria-k") || "";
    const team = parseInt(sessionStorage.getItem("gria-equipe") || "", 10);
    state.team = Number.isFinite(team) ? team : null;
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(method, path, body) {
    const init = { method, headers: { Authorization: "Bearer " + state.token } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      throw new ApiError(0, "Le plateau ne répond pas (réseau ou serveur arrêté).");
    }
    if (response.status === 204) return null;
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = payload && payload.message ? payload.message : "erreur " + response.status;
      throw new ApiError(response.status, frenchError(response.status, detail));
    }
    return payload;
  }

  function frenchError(status, detail) {
    if (status === 401) return "Ce lien n'est plus valable : demandez un nouveau lien à l'animation.";
    if (status === 403) return "Ce lien ne permet pas cette action.";
    if (status === 404) return "Cet élément n'existe plus (supprimé par quelqu'un d'autre ?).";
    if (status === 429) return "Trop de changements en même temps : réessayez dans quelques secondes.";
    if (status === 400 && /outside of parent/.test(detail)) return "Déposez l'élément à l'intérieur d'une zone.";
    return "Le plateau a refusé ce changement (" + detail + ").";
  }

  function boardPath(rest) { return "/v2/boards/" + encodeURIComponent(state.boardId) + rest; }

  // ---- messages -----------------------------------------------------------------------------------------
  function setStatus(text, kind) {
    const el = $("status");
    el.textContent = text;
    el.dataset.kind = kind || "";
  }
  function announce(text) { $("announce").textContent = text; }

  // ---- contenu HTML de Miro, nettoyé ---------------------------------------------------------------------
  function safeContent(html) {
    const doc = new DOMParser().parseFromString("<body>" + (html || ""), "text/html");
    return cleanChildren(doc.body);
  }
  function cleanChildren(node) {
    const fragment = document.createDocumentFragment();
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        fragment.append(child.textContent);
      } else if (child.nodeType === Node.ELEMENT_NODE && !DROPPED_TAGS.has(child.tagName)) {
        if (ALLOWED_TAGS.has(child.tagName)) {
          const copy = document.createElement(child.tagName.toLowerCase()); // aucun attribut recopié
          copy.append(cleanChildren(child));
          fragment.append(copy);
        } else {
          fragment.append(cleanChildren(child));
        }
      }
    }
    return fragment;
  }
  function plainText(html) {
    // paragraphs and list items are kept apart (" — "), as a reader would hear them
    const holder = document.createElement("div");
    holder.append(safeContent(html));
    const parts = [];
    const blocks = holder.querySelectorAll("p, li, div");
    if (!blocks.length) return holder.textContent.replace(/\s+/g, " ").trim();
    for (const block of blocks) {
      if (block.querySelector("p, li, div")) continue; // only innermost blocks
      const text = block.textContent.replace(/\s+/g, " ").trim();
      if (text) parts.push(text);
    }
    return parts.join(" — ");
  }
  function noteHtml(text) {
    return text.split("\n").map((line) => {
      const p = document.createElement("p");
      p.textContent = line;
      return p.outerHTML;
    }).join("");
  }
  function noteText(html) {
    const holder = document.createElement("div");
    holder.append(safeContent(html));
    const paragraphs = holder.querySelectorAll("p");
    if (!paragraphs.length) return holder.textContent;
    return Array.from(paragraphs, (p) => p.textContent).join("\n");
  }

  // ---- géométrie (règles de Miro : enfants relatifs au coin haut-gauche du cadre) ------------------------
  function absCentre(item) {
    const x = item.position ? item.position.x : 0;
    const y = item.position ? item.position.y : 0;
    const parentId = item.parent && item.parent.id;
    const frame = parentId ? state.items.get(parentId) : null;
    if (!frame) return { x, y };
    const fc = absCentre(frame);
    return { x: fc.x - frame.geometry.width / 2 + x, y: fc.y - frame.geometry.height / 2 + y };
  }
  function size(item) {
    const g = item.geometry || {};
    return { w: g.width || 100, h: g.height || 100 };
  }
  function frames() { return Array.from(state.items.values()).filter((it) => it.type === "frame"); }
  function frameAt(x, y) {
    let best = null;
    for (const frame of frames()) {
      const c = absCentre(frame);
      const { w, h } = size(frame);
      if (x >= c.x - w / 2 && x <= c.x + w / 2 && y >= c.y - h / 2 && y <= c.y + h / 2) {
        if (!best || w * h < size(best).w * size(best).h) best = frame;
      }
    }
    return best;
  }
  function frameTitle(frame) { return frame ? plainText(frame.data && frame.data.title) || "Zone sans titre" : ""; }
  function zoneOf(item) {
    const parentId = item.parent && item.parent.id;
    return parentId ? state.items.get(parentId) : null;
  }

  // ---- vue : déplacement et zoom -------------------------------------------------------------------------
  function applyView() {
    const { x, y, scale } = state.view;
    $("canvas").style.transform = "translate(" + x + "px," + y + "px) scale(" + scale + ")";
  }
  function zoomAt(factor, sx, sy) {
    const v = state.view;
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
    v.x = sx - ((sx - v.x) * scale) / v.scale;
    v.y = sy - ((sy - v.y) * scale) / v.scale;
    v.scale = scale;
    applyView();
  }
  function fit(items) {
    const list = items && items.length ? items : Array.from(state.items.values());
    if (!list.length) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const it of list) {
      const c = absCentre(it);
      const { w, h } = size(it);
      x0 = Math.min(x0, c.x - w / 2); y0 = Math.min(y0, c.y - h / 2 - 60);
      x1 = Math.max(x1, c.x + w / 2); y1 = Math.max(y1, c.y + h / 2);
    }
    const vp = $("viewport").getBoundingClientRect();
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, Math.min(vp.width / (x1 - x0), vp.height / (y1 - y0)) * 0.95));
    state.view = {
      scale,
      x: vp.width / 2 - ((x0 + x1) / 2) * scale,
      y: vp.height / 2 - ((y0 + y1) / 2) * scale,
    };
    applyView();
  }
  function toBoard(clientX, clientY) {
    const vp = $("viewport").getBoundingClientRect();
    return { x: (clientX - vp.left - state.view.x) / state.view.scale, y: (clientY - vp.top - state.view.y) / state.view.scale };
  }
  function viewportCentre() {
    const vp = $("viewport").getBoundingClientRect();
    return toBoard(vp.left + vp.width / 2, vp.top + vp.height / 2);
  }

  // ---- dessin --------------------------------------------------------------------------------------------
  function describe(item) {
    const zone = zoneOf(item);
    const where = zone ? "zone " + frameTitle(zone) : "hors zone";
    if (item.type === "card" || item.type === "app_card") {
      const owner = item.data && item.data.assigneeId ? state.members.get(String(item.data.assigneeId)) : null;
      const due = item.data && item.data.dueDate ? ", échéance " + frenchDate(item.data.dueDate) : "";
      return "Carte " + plainText(item.data && item.data.title) + ", " + where +
        (owner ? ", responsable " + owner : "") + due;
    }
    if (item.type === "sticky_note") {
      const text = plainText(item.data && item.data.content);
      return "Note « " + (text || "vide") + " », " + where;
    }
    return plainText(item.data && (item.data.content || item.data.title)) || item.type;
  }
  function frenchDate(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString("fr-FR", { timeZone: "UTC" });
  }
  function scaleChips(descriptionHtml) {
    // the card's scales as short chips: "Difficulté : 1/4 · Balade", "Coût : €"… (long rows stay in the panel)
    const holder = document.createElement("div");
    holder.append(safeContent(descriptionHtml));
    const chips = [];
    for (const li of holder.querySelectorAll("li")) {
      const strong = li.querySelector("strong");
      if (!strong) continue;
      const name = strong.textContent.replace(/\s*:\s*$/, "").trim();
      if (/^(Gains|Prérequis|Nature)/i.test(name)) continue;
      const value = li.textContent.slice(strong.textContent.length).replace(/\s+/g, " ").trim()
        .split(/ \(| — | : /)[0];
      if (name && value) chips.push([name, value]);
    }
    return chips;
  }

  function render(item, fit = true) {
    let el = state.elements.get(item.id);
    const fresh = !el;
    if (fresh) {
      el = document.createElement("div");
      el.dataset.id = item.id;
      el.addEventListener("pointerdown", onItemPointerDown);
      el.addEventListener("keydown", onItemKey);
      el.addEventListener("dblclick", () => select(item.id, true));
      state.elements.set(item.id, el);
    }
    el.className = "item " + item.type.replace("_", "-");
    el.dataset.type = item.type;
    const c = absCentre(item);
    const { w, h } = size(item);
    el.style.left = c.x - w / 2 + "px";
    el.style.top = c.y - h / 2 + "px";
    el.style.width = w + "px";
    el.style.height = h + "px";
    el.replaceChildren();
    const style = item.style || {};
    const data = item.data || {};
    if (item.type === "frame") {
      el.style.background = style.fillColor || "#ffffff";
      const title = document.createElement("div");
      title.className = "frame-title";
      title.textContent = frameTitle(item);
      el.append(title);
      el.setAttribute("aria-hidden", "true");
    } else if (item.type === "card" || item.type === "app_card") {
      el.style.setProperty("--theme", style.cardTheme || style.fillColor || "#2d9bf0");
      const title = document.createElement("div");
      title.className = "card-title";
      title.append(safeContent(data.title));
      el.append(title);
      const chips = document.createElement("div");
      chips.className = "chips";
      // a gria-miro card's title already shows its scales at a glance (its second line): no chips twice
      const glance = title.querySelectorAll("p").length > 1;
      for (const [name, value] of glance ? [] : scaleChips(data.description)) {
        const chip = document.createElement("span");
        chip.className = "chip";
        chip.title = name;
        chip.textContent = name + " : " + value;
        chips.append(chip);
      }
      el.append(chips);
      const foot = document.createElement("div");
      foot.className = "card-foot";
      const owner = data.assigneeId ? state.members.get(String(data.assigneeId)) || "membre " + data.assigneeId : "";
      if (owner) {
        const o = document.createElement("span");
        o.className = "owner";
        o.textContent = "Resp. : " + owner;
        foot.append(o);
      }
      if (data.dueDate) {
        const d = document.createElement("span");
        d.className = "due";
        d.textContent = "Échéance : " + frenchDate(data.dueDate);
        foot.append(d);
      }
      el.append(foot);
    } else if (item.type === "sticky_note") {
      el.style.background = STICKY_COLOURS[style.fillColor] || style.fillColor || STICKY_COLOURS.light_yellow;
      const text = document.createElement("div");
      text.className = "note-text";
      text.append(safeContent(data.content));
      el.append(text);
    } else if (item.type === "shape") {
      el.style.background = style.fillColor || "transparent";
      el.style.borderColor = style.borderColor || "transparent";
      el.style.color = style.color || "#1a1a1a";
      const text = document.createElement("div");
      text.className = "shape-text";
      text.append(safeContent(data.content));
      el.append(text);
    } else {
      el.style.height = "auto";
      el.style.color = style.color || "#1a1a1a";
      if (style.fontSize) el.style.fontSize = style.fontSize + "px";
      el.append(safeContent(data.content));
    }
    if (FOCUSABLE.has(item.type)) {
      el.tabIndex = 0;
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", describe(item));
    }
    if (state.selected === item.id) el.classList.add("selected");
    if (drag && drag.el === el) el.classList.add("dragging"); // a change from elsewhere during a drag
    if (fresh) {
      const layer = item.type === "frame" ? $("canvas").querySelector(".frames") : $("canvas").querySelector(".items");
      layer.append(el);
    }
    if (fit && (item.type === "card" || item.type === "app_card")) fitCards([el]);
  }

  function fitCards(cards) {
    // A card keeps the size it was laid out with (the pile's rows never overlap): a long title or an owner
    // and a due date make its text smaller, step by step, until all of it shows. Every card takes the same
    // step at once, then all are measured together: one layout per step for the whole board, not one per
    // card (measuring each card right after changing it laid the page out again for every card).
    for (const el of cards) el.style.removeProperty("--fit");
    const overflows = (el) => el.scrollHeight > el.clientHeight + 1;
    let pending = cards.filter(overflows);
    for (let fit = 0.95; pending.length && fit >= 0.6; fit -= 0.05) {
      for (const el of pending) el.style.setProperty("--fit", fit.toFixed(2));
      pending = pending.filter(overflows);
    }
  }

  function cardElements(items) {
    return items.filter((i) => i.type === "card" || i.type === "app_card").map((i) => state.elements.get(i.id));
  }

  function renderAll() {
    const canvas = $("canvas");
    canvas.replaceChildren();
    const framesLayer = document.createElement("div");
    framesLayer.className = "frames";
    const itemsLayer = document.createElement("div");
    itemsLayer.className = "items";
    canvas.append(framesLayer, itemsLayer);
    state.elements.clear();
    // ordre de lecture (haut → bas, gauche → droite) : l'ordre de la tabulation au clavier
    const ordered = Array.from(state.items.values()).sort((a, b) => {
      const ca = absCentre(a), cb = absCentre(b);
      return Math.round(ca.y / 50) - Math.round(cb.y / 50) || ca.x - cb.x;
    });
    for (const item of ordered) render(item, false);
    fitCards(cardElements(ordered));
    computeTeams();
    refreshPanel();
  }

  function upsert(item) {
    const before = state.items.get(item.id);
    state.items.set(item.id, item);
    if (item.type === "frame") {
      if (!before) { renderAll(); return; }
      render(item);
      const children = [...state.items.values()].filter((child) => child.parent && child.parent.id === item.id);
      for (const child of children) render(child, false);
      fitCards(cardElements(children));
      computeTeams();
    } else {
      render(item);
    }
    if (state.selected === item.id) refreshPanel();
  }

  function remove(id) {
    const item = state.items.get(id);
    state.items.delete(id);
    const el = state.elements.get(id);
    if (el) el.remove();
    state.elements.delete(id);
    if (state.selected === id) closePanel();
    return item;
  }

  function computeTeams() {
    // teams in reading order of their zones (top-most, then left-most frame corner), as the server numbers them
    const corners = new Map();
    for (const frame of frames()) {
      const title = frameTitle(frame);
      const at = title.indexOf(" · ");
      if (at <= 0) continue;
      const team = title.slice(0, at);
      const corner = [frame.position.y - frame.geometry.height / 2, frame.position.x - frame.geometry.width / 2];
      const best = corners.get(team);
      if (!best || corner[0] < best[0] || (corner[0] === best[0] && corner[1] < best[1])) corners.set(team, corner);
    }
    state.teamPrefixes = Array.from(corners.keys()).sort((a, b) => {
      const ca = corners.get(a), cb = corners.get(b);
      return ca[0] - cb[0] || ca[1] - cb[1];
    });
  }
  function teamName() {
    if (state.team === null) return null;
    return state.teamPrefixes[state.team - 1] || null;
  }
  function teamFrames() {
    const name = teamName();
    if (!name) return [];
    return frames().filter((f) => frameTitle(f).startsWith(name + " · "));
  }

  // ---- chargement et flux des changements ----------------------------------------------------------------
  async function loadItems() {
    const items = new Map();
    let cursor = "";
    do {
      const page = await api("GET", boardPath("/items?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")));
      for (const item of page.data || []) items.set(item.id, item);
      cursor = page.cursor || "";
    } while (cursor);
    state.items = items;
  }
  async function loadMembers() {
    const members = new Map();
    let offset = 0;
    for (;;) {
      const page = await api("GET", boardPath("/members?limit=50&offset=" + offset));
      for (const m of page.data || []) members.set(String(m.id), m.name);
      offset += (page.data || []).length;
      if (!page.data || !page.data.length || offset >= (page.total || 0)) break;
    }
    state.members = members;
    fillMembers();
  }
  async function load() {
    const session = await api("GET", "/local/session");
    state.boardId = session.boardId;
    state.label = session.label;
    if (state.team === null && session.team) state.team = session.team;
    state.rev = session.revision;
    await Promise.all([loadItems(), loadMembers()]);
    renderAll();
    const board = await api("GET", boardPath(""));
    $("board-title").textContent = board && board.name ? board.name : "Plateau GR:IA";
    document.title = $("board-title").textContent;
    $("who").textContent = teamName() || session.label;
    fit(teamFrames());
  }

  async function follow() {
    for (;;) {
      try {
        const response = await fetch("/local/events?since=" + state.rev, {
          headers: { Authorization: "Bearer " + state.token }, cache: "no-store",
        });
        if (!response.ok || !response.body) throw new Error("flux " + response.status);
        setStatus("En direct", "ok");
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let at;
          while ((at = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5)).join("\n");
            if (data) await applyChange(JSON.parse(data));
          }
        }
      } catch (err) {
        // le serveur s'est arrêté ou le réseau a coupé : on réessaie
      }
      setStatus("Reconnexion…", "warn");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async function applyChange(change) {
    if (change.rev <= state.rev && !change.reload) return;
    if (change.reload) {
      state.rev = change.rev;
      await Promise.all([loadItems(), loadMembers()]);
      renderAll();
      return;
    }
    state.rev = change.rev;
    let frameGone = false;
    for (const id of change.deleted || []) {
      const gone = remove(id);
      if (gone && gone.type === "frame") frameGone = true;
    }
    const items = change.items || [];
    if (items.some((item) => item.type === "frame" && !state.items.has(item.id))) {
      // new zones (e.g. a push from another terminal): the whole batch, then one drawing
      for (const item of items) state.items.set(item.id, item);
      renderAll();
    } else {
      for (const item of items) upsert(item);
    }
    if (change.members) await loadMembers();
    if (frameGone) { // ses enfants restent sur la toile : on relit le plateau
      await loadItems();
      renderAll();
    }
  }

  // ---- actions (toujours par l'API REST, comme Miro) -----------------------------------------------------
  async function moveItem(item, centre, frame) {
    const body = {};
    if (frame) {
      const fc = absCentre(frame);
      const { w, h } = size(frame);
      body.parent = { id: frame.id };
      body.position = { x: Math.round(centre.x - (fc.x - w / 2)), y: Math.round(centre.y - (fc.y - h / 2)) };
    } else {
      if (item.parent && item.parent.id) throw new ApiError(400, "Déposez l'élément à l'intérieur d'une zone.");
      body.position = { x: Math.round(centre.x), y: Math.round(centre.y) };
    }
    const updated = await api("PATCH", boardPath("/items/" + item.id), body);
    upsert(updated);
    announce((item.type === "sticky_note" ? "Note déplacée" : "Carte déplacée") + (frame ? " dans " + frameTitle(frame) : ""));
    return updated;
  }

  function freeSpot(frame, item) {
    // une place libre dans la zone, en grille, pour un déplacement au clavier
    const { w, h } = size(frame);
    const { w: iw, h: ih } = size(item);
    const taken = Array.from(state.items.values()).filter((it) => it.parent && it.parent.id === frame.id && it.id !== item.id);
    const cols = Math.max(1, Math.floor((w - 40) / (iw + 20)));
    const rows = Math.max(1, Math.floor((h - 100) / (ih + 20)));
    const fc = absCentre(frame);
    const left = fc.x - w / 2, top = fc.y - h / 2;
    for (let n = 0; n < cols * rows; n++) {
      const x = left + 20 + iw / 2 + (n % cols) * (iw + 20);
      const y = top + 90 + ih / 2 + Math.floor(n / cols) * (ih + 20);
      const clash = taken.some((t) => {
        const c = absCentre(t), s = size(t);
        return Math.abs(c.x - x) < (iw + s.w) / 2 && Math.abs(c.y - y) < (ih + s.h) / 2;
      });
      if (!clash) return { x, y };
    }
    return { x: fc.x, y: fc.y };
  }

  async function addNote() {
    const centre = viewportCentre();
    const frame = frameAt(centre.x, centre.y);
    const body = { data: { content: "", shape: "square" }, style: { fillColor: "light_yellow" }, geometry: { width: 199 } };
    if (frame) {
      const fc = absCentre(frame), { w, h } = size(frame);
      body.parent = { id: frame.id };
      body.position = { x: Math.round(centre.x - (fc.x - w / 2)), y: Math.round(centre.y - (fc.y - h / 2)) };
    } else {
      body.position = { x: Math.round(centre.x), y: Math.round(centre.y) };
    }
    try {
      const note = await api("POST", boardPath("/sticky_notes"), body);
      upsert(note);
      select(note.id, true);
      announce("Note ajoutée" + (frame ? " dans " + frameTitle(frame) : ""));
    } catch (err) {
      setStatus(err.message, "error");
    }
  }

  async function join(name) {
    const member = await api("POST", "/local/members", { name });
    state.members.set(String(member.id), member.name);
    fillMembers();
    return member;
  }

  // ---- glisser-déposer (souris, stylet, doigt : pointer events) ------------------------------------------
  let drag = null;
  const pointers = new Map();
  let pinch = null;

  function onItemPointerDown(event) {
    const el = event.currentTarget;
    const item = state.items.get(el.dataset.id);
    if (!item || !MOVABLE.has(item.type) || event.button > 0) return;
    event.stopPropagation();
    el.setPointerCapture(event.pointerId);
    drag = { item, el, pointerId: event.pointerId, sx: event.clientX, sy: event.clientY, moved: false };
    el.addEventListener("pointermove", onDragMove);
    el.addEventListener("pointerup", onDragEnd);
    el.addEventListener("pointercancel", onDragCancel);
  }
  function onDragMove(event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const dx = event.clientX - drag.sx, dy = event.clientY - drag.sy;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    drag.moved = true;
    drag.el.classList.add("dragging");
    drag.el.style.transform = "translate(" + dx / state.view.scale + "px," + dy / state.view.scale + "px)";
    const c = absCentre(drag.item);
    const target = frameAt(c.x + dx / state.view.scale, c.y + dy / state.view.scale);
    for (const el of document.querySelectorAll(".frame.drop-target")) el.classList.remove("drop-target");
    if (target) state.elements.get(target.id).classList.add("drop-target");
  }
  function endDrag() {
    const d = drag;
    drag = null;
    d.el.removeEventListener("pointermove", onDragMove);
    d.el.removeEventListener("pointerup", onDragEnd);
    d.el.removeEventListener("pointercancel", onDragCancel);
    d.el.classList.remove("dragging");
    for (const el of document.querySelectorAll(".frame.drop-target")) el.classList.remove("drop-target");
    return d;
  }
  function onDragCancel() { if (drag) { const d = endDrag(); d.el.style.transform = ""; } }
  async function onDragEnd(event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const d = endDrag();
    if (!d.moved) { d.el.style.transform = ""; select(d.item.id, false); return; }
    const c = absCentre(d.item);
    const centre = { x: c.x + (event.clientX - d.sx) / state.view.scale, y: c.y + (event.clientY - d.sy) / state.view.scale };
    try {
      await moveItem(d.item, centre, frameAt(centre.x, centre.y));
    } catch (err) {
      setStatus(err.message, "error");
      announce(err.message);
    } finally {
      d.el.style.transform = "";
      const current = state.items.get(d.item.id);
      if (current) render(current);
    }
  }

  function onViewportPointerDown(event) {
    if (event.target.closest(".item:not(.frame)")) return;
    const vp = $("viewport");
    vp.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 2) {
      const [a, b] = Array.from(pointers.values());
      pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) };
    }
  }
  function onViewportPointerMove(event) {
    const last = pointers.get(event.pointerId);
    if (!last) return;
    const now = { x: event.clientX, y: event.clientY };
    pointers.set(event.pointerId, now);
    if (pointers.size === 1) {
      state.view.x += now.x - last.x;
      state.view.y += now.y - last.y;
      applyView();
    } else if (pointers.size === 2 && pinch) {
      const [a, b] = Array.from(pointers.values());
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const rect = $("viewport").getBoundingClientRect();
      zoomAt(distance / pinch.distance, (a.x + b.x) / 2 - rect.left, (a.y + b.y) / 2 - rect.top);
      pinch.distance = distance;
    }
  }
  function onViewportPointerUp(event) {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
  }

  // ---- clavier -------------------------------------------------------------------------------------------
  function onItemKey(event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(event.currentTarget.dataset.id, true);
    } else if (event.key === "Delete") {
      event.preventDefault();
      select(event.currentTarget.dataset.id, false);
      deleteSelected();
    }
  }
  function onGlobalKey(event) {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (event.key === "Escape" && !$("panel").hidden) { closePanel(); return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const rect = $("viewport").getBoundingClientRect();
    const step = 80;
    if (event.key === "+" || event.key === "=") zoomAt(1.25, rect.width / 2, rect.height / 2);
    else if (event.key === "-" || event.key === "−") zoomAt(0.8, rect.width / 2, rect.height / 2);
    else if (event.key === "0") fit();
    else if (event.key === "n" || event.key === "N") addNote();
    else if (event.target === $("viewport") && event.key.startsWith("Arrow")) {
      const dx = { ArrowLeft: step, ArrowRight: -step }[event.key] || 0;
      const dy = { ArrowUp: step, ArrowDown: -step }[event.key] || 0;
      state.view.x += dx; state.view.y += dy; applyView();
    } else return;
    event.preventDefault();
  }
  function ensureVisible(item) {
    const c = absCentre(item);
    const rect = $("viewport").getBoundingClientRect();
    const sx = c.x * state.view.scale + state.view.x, sy = c.y * state.view.scale + state.view.y;
    if (sx < 40 || sy < 40 || sx > rect.width - 40 || sy > rect.height - 40) {
      state.view.x += rect.width / 2 - sx;
      state.view.y += rect.height / 2 - sy;
      applyView();
    }
  }

  // ---- panneau de l'élément choisi -----------------------------------------------------------------------
  function select(id, focusPanel) {
    const previous = state.selected && state.elements.get(state.selected);
    if (previous) previous.classList.remove("selected");
    const item = state.items.get(id);
    if (!item || !FOCUSABLE.has(item.type)) return;
    state.selected = id;
    state.elements.get(id).classList.add("selected");
    $("panel").hidden = false;
    refreshPanel();
    if (focusPanel) {
      (item.type === "sticky_note" ? $("note-text") : $("panel-title")).focus();
    }
  }
  function closePanel() {
    const id = state.selected;
    state.selected = null;
    $("panel").hidden = true;
    const el = id && state.elements.get(id);
    if (el) { el.classList.remove("selected"); el.focus(); }
  }
  function refreshPanel() {
    const item = state.selected && state.items.get(state.selected);
    if (!item) { if (state.selected) closePanel(); return; }
    const isCard = item.type === "card" || item.type === "app_card";
    $("panel-title").textContent = isCard ? plainText(item.data.title) : "Note";
    $("panel-title").tabIndex = -1;
    const zone = zoneOf(item);
    $("panel-zone").textContent = zone ? "Zone : " + frameTitle(zone) : "Hors zone";
    $("panel-body").replaceChildren(isCard ? safeContent(item.data.description) : document.createTextNode(""));
    $("card-fields").hidden = !isCard;
    $("note-fields").hidden = item.type !== "sticky_note";
    if (isCard) {
      fillMembers();
      // a field being edited keeps what the person is typing; the others show the board's values
      if (document.activeElement !== $("assignee")) $("assignee").value = item.data.assigneeId ? String(item.data.assigneeId) : "";
      if (document.activeElement !== $("due-date")) $("due-date").value = item.data.dueDate ? item.data.dueDate.slice(0, 10) : "";
    } else if (document.activeElement !== $("note-text")) {
      $("note-text").value = noteText(item.data.content);
    }
    fillZones(zone);
  }
  function fillMembers() {
    const select = $("assignee");
    const current = select.value;
    select.replaceChildren(new Option("— personne —", ""));
    const sorted = Array.from(state.members.entries()).sort((a, b) => a[1].localeCompare(b[1], "fr"));
    for (const [id, name] of sorted) select.append(new Option(name, id));
    select.value = current;
  }
  function fillZones(current) {
    const select = $("move-zone");
    select.replaceChildren();
    const mine = teamFrames();
    const others = frames().filter((f) => !mine.includes(f));
    const byPlace = (a, b) => { const ca = absCentre(a), cb = absCentre(b); return ca.y - cb.y || ca.x - cb.x; };
    for (const frame of mine.sort(byPlace).concat(others.sort(byPlace))) {
      const option = new Option(frameTitle(frame), frame.id);
      if (current && frame.id === current.id) option.text += " (ici)";
      select.append(option);
    }
  }

  async function guarded(action) {
    try {
      await action();
    } catch (err) {
      setStatus(err.message, "error");
      announce(err.message);
    }
  }
  async function deleteSelected() {
    const item = state.selected && state.items.get(state.selected);
    if (!item) return;
    const what = item.type === "sticky_note" ? "cette note" : "la carte « " + plainText(item.data.title) + " »";
    if (!window.confirm("Supprimer " + what + " du plateau ?")) return;
    await guarded(async () => {
      await api("DELETE", boardPath("/items/" + item.id));
      closePanel();
      remove(item.id);
      announce("Élément supprimé");
    });
  }

  function wire() {
    const vp = $("viewport");
    vp.addEventListener("pointerdown", onViewportPointerDown);
    vp.addEventListener("pointermove", onViewportPointerMove);
    vp.addEventListener("pointerup", onViewportPointerUp);
    vp.addEventListener("pointercancel", onViewportPointerUp);
    vp.addEventListener("wheel", (event) => {
      event.preventDefault();
      const rect = vp.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY / 500), event.clientX - rect.left, event.clientY - rect.top);
    }, { passive: false });
    document.addEventListener("keydown", onGlobalKey);
    document.addEventListener("focusin", (event) => {
      const el = event.target.closest && event.target.closest(".item");
      if (el && state.items.get(el.dataset.id)) ensureVisible(state.items.get(el.dataset.id));
    });
    $("add-note").addEventListener("click", addNote);
    $("zoom-in").addEventListener("click", () => { const r = vp.getBoundingClientRect(); zoomAt(1.25, r.width / 2, r.height / 2); });
    $("zoom-out").addEventListener("click", () => { const r = vp.getBoundingClientRect(); zoomAt(0.8, r.width / 2, r.height / 2); });
    $("fit").addEventListener("click", () => fit());
    $("panel-close").addEventListener("click", closePanel);
    $("help-close").addEventListener("click", () => { $("panel-open-help").hidden = true; localStorage.setItem("gria-aide", "0"); });
    $("help").addEventListener("click", () => {
      const help = $("panel-open-help");
      help.hidden = !help.hidden;
      if (!help.hidden) help.focus();
    });
    if (localStorage.getItem("gria-aide") === "0") $("panel-open-help").hidden = true;
    $("delete").addEventListener("click", deleteSelected);
    $("move").addEventListener("click", () => guarded(async () => {
      const item = state.items.get(state.selected);
      const frame = state.items.get($("move-zone").value);
      if (!item || !frame) return;
      await moveItem(item, freeSpot(frame, item), frame);
      ensureVisible(state.items.get(item.id));
    }));
    $("assignee").addEventListener("change", () => guarded(async () => {
      const value = $("assignee").value;
      if (!value) return;
      upsert(await api("PATCH", boardPath("/cards/" + state.selected), { data: { assigneeId: value } }));
      announce("Responsable : " + state.members.get(value));
    }));
    $("due-date").addEventListener("change", () => guarded(async () => {
      const value = $("due-date").value;
      if (!value) return;
      upsert(await api("PATCH", boardPath("/cards/" + state.selected), { data: { dueDate: value + "T00:00:00Z" } }));
      announce("Échéance : " + frenchDate(value + "T00:00:00Z"));
    }));
    $("add-person").addEventListener("click", () => guarded(async () => {
      const name = $("new-person").value.trim();
      if (!name) return;
      const member = await join(name);
      $("new-person").value = "";
      $("assignee").value = String(member.id);
      $("assignee").dispatchEvent(new Event("change"));
    }));
    $("save-note").addEventListener("click", () => guarded(async () => {
      const id = state.selected;
      const content = noteHtml($("note-text").value);
      upsert(await api("PATCH", boardPath("/sticky_notes/" + id), { data: { content } }));
      announce("Note enregistrée");
      setStatus("Note enregistrée", "ok");
    }));
    $("join-form").addEventListener("submit", (event) => {
      event.preventDefault();
      guarded(async () => {
        const member = await join($("join-name").value.trim());
        localStorage.setItem("gria-membre-" + state.boardId, member.name);
        $("join").hidden = true;
        $("who").textContent = (teamName() || state.label) + " · " + member.name;
        vp.focus();
      });
    });
    $("join-skip").addEventListener("click", () => {
      sessionStorage.setItem("gria-join-later", "1");
      $("join").hidden = true;
      vp.focus();
    });
  }

  async function start() {
    readLink();
    wire();
    if (!state.token) {
      setStatus("Ouvrez le plateau avec le lien donné par l'animation (il contient la clé d'accès).", "error");
      return;
    }
    try {
      await load();
    } catch (err) {
      setStatus(err.message, "error");
      return;
    }
    const known = localStorage.getItem("gria-membre-" + state.boardId);
    if (known) $("who").textContent = (teamName() || state.label) + " · " + known;
    else if (!sessionStorage.getItem("gria-join-later")) { $("join").hidden = false; $("join-name").focus(); }
    follow();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
