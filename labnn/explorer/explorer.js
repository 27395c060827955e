// The Playground explorer's page (an anywidget ES module). It draws what the kernel sends and
// decides nothing: every rule, bound, name, colour and scale comes from labnn.explorer
// (frame.py: the scene and the frames; controls.py: the controls). Hovering, a display toggle,
// choosing a node: drawn here at once, without asking the kernel. While a job runs, the frames
// are painted in order, one per animation frame, and each painted frame asks the kernel for the
// next slice ("tick"): the kernel keeps a few frames on their way, so the page always has the
// next one to paint and never runs behind.

const FEATURE_ORDER = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"];
const FEATURE_TEXT = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                      "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"};
const OUT = 260;          // the output picture's side, CSS pixels
const CURVE_W = 280, CURVE_H = 104;
const BESIDE = 244 + 290 + 2 * 14 + 12;   // the data and output columns, their gaps, padding
const BESIDE_OUT = 290 + 14 + 12;          // the output column alone, its gap, padding

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// 256 colours from a list of stops (hex), evenly spaced from 0 to 1 (made once per list).
const LUTS = new Map();
function lut(stops) {
  const key = stops.join(",");
  if (!LUTS.has(key)) LUTS.set(key, makeLut(stops));
  return LUTS.get(key);
}
function makeLut(stops) {
  const c = stops.map(rgb), out = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255 * (c.length - 1), k = Math.min(Math.floor(t), c.length - 2), f = t - k;
    for (let j = 0; j < 3; j++) out[i * 3 + j] = c[k][j] + (c[k + 1][j] - c[k][j]) * f;
  }
  return out;
}

function bytes(buffer) {
  // a message's buffer (a DataView, a typed array or an ArrayBuffer) as a Uint8Array
  const view = buffer instanceof DataView ? buffer : new DataView(buffer.buffer || buffer);
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function arrays(meta, buffer) {
  // pack()'s float32 arrays back, by name: {name: {data, shape}} (a copy: aligned for floats)
  const all = new Float32Array(bytes(buffer).slice().buffer);
  const out = {};
  for (const [name, [offset, ...shape]] of Object.entries(meta.arrays || {})) {
    const size = shape.reduce((a, b) => a * b, 1);
    out[name] = {data: all.subarray(offset, offset + size), shape};
  }
  return out;
}

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2).replace(/\.?0+e/, "e");
  return (+v.toPrecision(3)).toString();
}

function signed(v) { return (v >= 0 ? "+" : "") + fmt(v); }

function niceCeil(x) {
  x = Math.max(x, 1e-30);
  const k = Math.floor(Math.log10(x));
  for (const s of [1, 1.5, 2, 3, 5, 7.5, 10]) if (s * 10 ** k >= x * (1 - 1e-12)) return s * 10 ** k;
  return 10 ** (k + 1);
}

// Write a text, an attribute or a style only when it changes: a write, even of the same value,
// makes the browser lay out and paint again, and a frame writes them all.
function setText(e, text) { if (e.textContent !== text) e.textContent = text; }
function setProp(e, name, value) { if (e[name] !== value) e[name] = value; }

function setupCanvas(canvas, w, hgt) {
  const r = window.devicePixelRatio || 1;
  if (canvas._w !== w || canvas._h !== hgt || canvas._r !== r) {
    canvas.width = Math.round(w * r); canvas.height = Math.round(hgt * r);
    canvas.style.width = w + "px"; canvas.style.height = hgt + "px";
    canvas._w = w; canvas._h = hgt; canvas._r = r;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(r, 0, 0, r, 0, 0);
  return ctx;
}

function render({ model, el }) {
  const S = {scene: null, points: null, config: null, frame: null, data: null, thumbs: null,
             hover: null, selected: null, display: {show_test: true, discretize: false, log_loss: true},
             queue: [], latest: null,
             pending: new Map(), inflight: false, ticked: -1, dirty: false, layout: null,
             pings: [], pingsSent: [], pingLegs: [], paints: [], arrivals: [], draws: [], changes: [], hovers: [],
             alive: true};
  const kind = model.get("kind");
  const send = (msg) => model.send(msg);
  const probe = el.__labnn = {S, paints: S.paints, pings: S.pings, hovers: S.hovers,
    arrivals: S.arrivals, draws: S.draws, changes: S.changes,
    ping() { send({type: "ping", t: performance.now()}); }};

  // ---------------------------------------------------------------- the page
  const root = h("div", {class: `lx lx-${kind}`, "data-lm-suppress-shortcuts": "true"});
  el.append(root);
  // JupyterLab's keyboard shortcuts must not take the keys of a slider, a box or a list
  root.addEventListener("keydown", (ev) => {
    if (["INPUT", "SELECT", "TEXTAREA"].includes(ev.target.tagName)) ev.stopPropagation();
  });
  const status = h("span", {class: "lx-epoch"}), progress = h("span", {class: "lx-progress"});
  const statusBox = h("div", {class: "lx-status"}, status, progress);
  const buttons = {};
  const button = (name, text, title) => (buttons[name] = h("button", {
    class: `lx-${name.replace("_", "-")}`, title, text,
    onclick: () => press(name)}));
  const topControls = h("div", {class: "lx-row lx-topcontrols"});
  const dataControls = h("div", {class: "lx-datacontrols"});
  const thumbs = h("div", {class: "lx-thumbs"});
  const message = h("div", {class: "lx-message"});
  const rule = h("div", {class: "lx-rule"});
  const code = h("pre", {class: "lx-code"});

  // network column
  const layers = h("div", {class: "lx-layers"});
  const netCanvas = h("canvas", {class: "lx-network"});
  const featureBox = h("div", {class: "lx-features"});
  const card = h("div", {class: "lx-card"});
  const netBox = h("div", {class: "lx-netbox"}, netCanvas, featureBox, card);
  // output column
  const title = h("div", {class: "lx-title"});
  const outCanvas = h("canvas", {class: "lx-output"});
  const caption = h("div", {class: "lx-caption"});
  const pinCanvas = h("canvas", {class: "lx-pinned"});
  const pinCaption = h("div", {class: "lx-pintext"});
  const pinBox = h("div", {class: "lx-pinbox", style: "display:none"}, pinCanvas, pinCaption);
  const outBox = h("div", {class: "lx-outbox"}, outCanvas, caption, pinBox);
  const legendBar = h("canvas", {class: "lx-colorbar"});
  const legendText = h("span", {class: "lx-legend-text"});
  const pointKey = h("canvas", {class: "lx-pointkey"});
  const legend = h("div", {class: "lx-legend"}, legendBar, legendText, pointKey);
  const curveCanvas = h("canvas", {class: "lx-curves"});
  const gradCanvas = h("canvas", {class: "lx-gradients"});
  const toggles = h("div", {class: "lx-toggles"});
  for (const [name, text] of [["show_test", "show test data"], ["discretize", "discretize output"],
                              ["log_loss", "log loss"]]) {
    const box = h("input", {type: "checkbox", class: `lx-toggle-${name}`,
      onchange: () => { S.display[name] = box.checked; send({type: "display", name, value: box.checked}); redraw(); }});
    box.checked = S.display[name];
    toggles.append(h("label", {}, box, " " + text));
  }
  // the foot: state, links, downloads, code
  const stateField = h("input", {class: "lx-state", readonly: true, title: "the run as one line: explorer(state=...) starts from it"});
  const copyState = h("button", {text: "copy", onclick: () => copy(stateField.value || "(the starting point)")});
  const playLink = h("a", {class: "lx-link", target: "_blank", rel: "noopener", text: "open in TensorFlow Playground"});
  const foot = h("div", {class: "lx-row lx-foot"},
    h("span", {text: "state"}), stateField, copyState, playLink,
    button("pin", "pin run", "keep this run to compare it with the next ones"),
    button("unpin", "unpin", "forget the pinned run"),
    h("button", {class: "lx-download-npz", text: "⬇ network .npz", onclick: () => send({type: "download"})}),
    h("button", {class: "lx-download-png", text: "⬇ picture .png", onclick: downloadPicture}),
    h("button", {class: "lx-show-code", text: "code", onclick: () => {
      if (code.style.display === "block") code.style.display = "none"; else send({type: "code"}); }}));

  if (kind === "full") {
    const buttonRow = h("div", {class: "lx-row lx-buttons"},
      button("reset", "⟲ reset", "a fresh, untrained network"),
      button("play", "▶ play", "train epoch after epoch"),
      button("step", "step", "train one epoch"),
      button("fast_forward", "▸▸ fast-forward", "train `epochs` more epochs"),
      button("cancel", "✕ cancel", "stop the training that runs"));
    root.append(h("div", {class: "lx-row lx-top"}, buttonRow, topControls), statusBox,
      h("div", {class: "lx-main"},
        h("div", {class: "lx-col lx-data"}, h("h4", {text: "data"}), thumbs, dataControls,
          button("regenerate", "regenerate", "new points (and a new split) from the next data seed")),
        h("div", {class: "lx-col lx-net"}, h("h4", {text: "features · hidden layers"}), layers, netBox),
        h("div", {class: "lx-col lx-out"}, h("h4", {text: "output"}), title, outBox, legend, toggles,
          curveCanvas, gradCanvas)),
      foot, rule, message, code);
  } else {
    root.append(h("div", {class: "lx-row lx-top"}, topControls), statusBox,
      h("div", {class: "lx-main"}, h("div", {class: "lx-col lx-out"}, title, outCanvas, caption, legend),
        h("div", {class: "lx-col"}, curveCanvas)), rule, message);
  }

  function copy(text) {
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
    stateField.select();
  }

  // ---------------------------------------------------------------- talking to the kernel
  function press(name) {
    if (name === "play" && S.latest && S.latest.job === "play") name = "pause";
    send({type: "press", button: name});
  }
  function setValue(name, value) {
    // the last change wins: while one is on its way, newer values wait and replace each other
    S.changes.push([name, performance.now()]);
    if (S.changes.length > 200) S.changes.splice(0, 100);
    S.pending.set(name, value);
    flush();
  }
  function flush() {
    if (S.inflight || !S.pending.size) return;
    const [name, value] = S.pending.entries().next().value;
    S.pending.delete(name);
    S.inflight = true;
    send({type: "set", name, value});
  }

  model.on("msg:custom", (msg, buffers) => {
    if (!S.alive) return;
    if (msg.type === "pong") {
      // the round trip, when it was sent, and its legs by the kernel's clock: to the kernel's
      // answer (with any wait behind a slice), and back to the page
      const now = performance.now(), origin = performance.timeOrigin;
      S.pings.push(now - msg.t); S.pingsSent.push(msg.t);
      S.pingLegs.push([msg.kernel_ms - (origin + msg.t), origin + now - msg.kernel_ms]);
      return;
    }
    if (msg.type === "scene") {
      // a frame of the new run always follows: nothing is drawn until it comes
      S.scene = msg; S.points = arrays(msg, buffers[0]).points; S.layout = null; S.stale = true;
      S.queue.length = 0;                        // frames of the run before are not drawn
      if (S.selected && !allNodes().includes(S.selected)) S.selected = null;
      S.hover = null;
      return;
    } else if (msg.type === "config") {
      S.config = msg; Object.assign(S.display, msg.display); buildControls();
    } else if (msg.type === "frame") {
      // a job's frames are painted in order; any other frame replaces those not yet painted
      if (!msg.job) S.queue.length = 0;
      S.queue.push([msg, arrays(msg, buffers[0]), bytes(buffers[1])]); S.latest = msg;
      S.arrivals.push([msg.seq, performance.now()]);
      if (S.arrivals.length > 2000) S.arrivals.splice(0, 1000);
      S.inflight = false; flush();
    } else if (msg.type === "thumbs") {
      S.thumbs = msg.thumbs; buildThumbs();
    } else if (msg.type === "code") {
      code.textContent = msg.text; code.style.display = "block";
    } else if (msg.type === "download") {
      const blob = new Blob([bytes(buffers[0])], {type: msg.mime});
      const a = h("a", {href: URL.createObjectURL(blob), download: msg.name});
      a.click(); setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    }
    redraw();
  });

  function redraw() {
    if (S.dirty) return;
    S.dirty = true;
    requestAnimationFrame(() => {
      S.dirty = false;
      if (!S.alive) return;
      const t0 = performance.now();
      if (S.queue.length) { [S.frame, S.data, S.levels] = S.queue.shift(); S.stale = false; }
      draw();
      const f = S.frame, t1 = performance.now();
      if (f) {
        S.paints.push([f.seq, t1]);
        S.draws.push(t1 - t0);
        if (S.draws.length > 2000) S.draws.splice(0, 1000);
        if (S.paints.length > 2000) S.paints.splice(0, 1000);
        if (f.job && S.ticked !== f.seq) { S.ticked = f.seq; send({type: "tick", seq: f.seq}); }
      }
      if (S.queue.length) redraw();
    });
  }

  // ---------------------------------------------------------------- controls
  const controlEls = {};
  function buildControls() {
    const c = S.config;
    if (!c) return;
    if (!topControls.childElementCount) {
      for (const spec of c.controls) {
        if (spec.kind === "features" || spec.name === "layer_widths") continue;
        if (spec.kind === "datasets") continue;
        const box = makeControl(spec);
        (kind === "full" && ["noise", "test_ratio", "batch_size"].includes(spec.name) ? dataControls : topControls).append(box);
      }
    }
    for (const spec of c.controls) {
      const ctl = controlEls[spec.name];
      if (ctl) ctl.show(c.values[spec.name], c.disabled[spec.name] || "", spec);
    }
    for (const [name, b] of Object.entries(buttons)) {
      const why = c.disabled[name] || "";
      setProp(b, "disabled", !!why); setProp(b, "title", why || b.getAttribute("data-title") || b.title);
    }
    setText(message, c.message || c.notice || "");
    setProp(message, "className", "lx-message" + (c.message ? " lx-error" : ""));
    setText(rule, "The rule: " + c.rule + ".");
    setProp(stateField, "value", c.state);
    if (c.playground) { setProp(playLink, "href", c.playground); setProp(playLink, "className", "lx-link"); setProp(playLink, "title", ""); }
    else { playLink.removeAttribute("href"); setProp(playLink, "className", "lx-link lx-off"); setProp(playLink, "title", c.playground_why); }
    for (const [name, v] of Object.entries(S.display)) {
      const box = root.querySelector(`.lx-toggle-${name}`); if (box) setProp(box, "checked", v);
    }
    buildThumbs();
  }

  function makeControl(spec) {
    const name = spec.name;
    const wrap = h("div", {class: `lx-control lx-control-${name.replace("_", "-")}`});
    wrap.append(h("label", {text: spec.label}));
    let show;
    if (spec.kind === "select") {
      const sel = h("select", {onchange: () => setValue(name, JSON.parse(sel.value))});
      wrap.append(sel);
      show = (value, why, s) => {
        const opts = s.options.map(([label, v]) => JSON.stringify(v) + label).join("|");
        if (sel._opts !== opts) {
          sel.replaceChildren(...s.options.map(([label, v]) => h("option", {value: JSON.stringify(v), text: label})));
          sel._opts = opts;
        }
        setProp(sel, "value", JSON.stringify(value)); setProp(sel, "disabled", !!why);
      };
    } else if (spec.kind === "grid") {
      const grid = spec.grid.map(([, v]) => v);
      const range = h("input", {type: "range", min: 0, max: grid.length - 1, step: 1});
      const typed = h("input", {class: "lx-typed", type: "text", title: `any value from ${spec.min} to ${spec.max}`});
      range.addEventListener("input", () => { typed.value = spec.grid[+range.value][0]; setValue(name, grid[+range.value]); });
      typed.addEventListener("change", () => { const v = Number(typed.value); if (typed.value.trim() && Number.isFinite(v)) setValue(name, v); });
      wrap.append(range, typed);
      show = (value, why) => {
        let best = 0;
        grid.forEach((g, i) => { if (Math.abs(Math.log(g / value)) < Math.abs(Math.log(grid[best] / value))) best = i; });
        if (document.activeElement !== range) setProp(range, "value", String(best));
        if (document.activeElement !== typed) setProp(typed, "value", fmt(value));
        setProp(range, "disabled", !!why); setProp(typed, "disabled", !!why);
      };
    } else if (spec.kind === "slider") {
      const range = h("input", {type: "range", min: spec.min, max: spec.max, step: spec.step});
      const readout = h("span", {class: "lx-readout"});
      const text = (v) => spec.percent ? (v === 0 ? "0 (no split)" : Math.round(v * 100) + " %") : (spec.step >= 1 ? String(v) : (+v).toFixed(2));
      const event = spec.live ? "input" : "change";
      range.addEventListener("input", () => { readout.textContent = text(+range.value); });
      range.addEventListener(event, () => setValue(name, spec.step >= 1 ? Math.round(+range.value) : +range.value));
      wrap.append(range, readout);
      show = (value, why) => {
        if (document.activeElement !== range || !S.pending.has(name)) setProp(range, "value", String(value));
        setText(readout, text(value)); setProp(range, "disabled", !!why);
      };
    } else {
      const box = h("input", {type: "number", min: spec.min, max: spec.max, step: 1,
        onchange: () => { if (box.value !== "") setValue(name, Math.round(Number(box.value))); }});
      wrap.append(box);
      show = (value, why) => { if (document.activeElement !== box) setProp(box, "value", String(value)); setProp(box, "disabled", !!why); };
    }
    controlEls[name] = {show: (value, why, s) => { show(value, why, s); setProp(wrap, "title", why || `${s.label}: ${s.domain}`); }};
    return wrap;
  }

  function buildThumbs() {
    if (kind !== "full" || !S.thumbs || !S.config) return;
    const spec = S.config.controls.find((s) => s.name === "dataset");
    if (!spec) return;
    const chosen = S.config.values.dataset;
    const key = spec.options.map(([, v]) => v).join("|");
    if (thumbs._key !== key) {
      thumbs.replaceChildren();
      for (const [label, value] of spec.options) {
        const c = h("canvas");
        const b = h("button", {class: "lx-thumb", "data-dataset": value, title: value,
          onclick: () => setValue("dataset", value)}, c, h("span", {text: label}));
        thumbs.append(b);
        drawThumb(c, value);
      }
      thumbs._key = key;
    }
    for (const b of thumbs.children) b.classList.toggle("lx-chosen", b.dataset.dataset === chosen);
  }

  function drawThumb(canvas, name) {
    const ctx = setupCanvas(canvas, 40, 40);
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, 40, 40);
    const t = S.thumbs[name];
    if (!t) { ctx.fillStyle = "#888"; ctx.font = "10px sans-serif"; ctx.fillText("yours", 6, 24); return; }
    const tl = lut(t.colors);
    for (const [x, y, i] of t.points) {                // i: the point's colour level
      ctx.fillStyle = `rgb(${tl[i*3]},${tl[i*3+1]},${tl[i*3+2]})`;
      ctx.fillRect(2 + x * 36 - 1, 38 - y * 36 - 1, 2.4, 2.4);
    }
  }

  // ---------------------------------------------------------------- the network
  function allNodes() { return S.scene ? S.scene.columns.flat() : []; }

  function netLayout() {
    if (S.layout) return S.layout;
    const cols = S.scene.columns, widths = cols.slice(1, -1).map((c) => c.length);
    const left = 62, ncol = cols.length;
    // Playground's three columns when they fit in the cell; else the data become a strip on
    // top (lx-narrow), and the network sits beside the output when the two fit, else above it
    const whole = root.clientWidth || 800, least = left + 40 * ncol + 8;
    const narrow = whole - BESIDE < Math.max(300, least);
    if (root.classList.contains("lx-narrow") !== narrow) root.classList.toggle("lx-narrow", narrow);
    const room = whole - (narrow ? BESIDE_OUT : BESIDE);
    const avail = Math.min(460, room >= least ? Math.max(room, narrow ? least : 300) : whole - 12);
    const colW = Math.max(30, Math.min(70, (avail - left - 8) / ncol));
    const rows = Math.max(FEATURE_ORDER.length, ...widths, 1);
    const rowH = Math.max(14, Math.min(40, 300 / rows));
    const size = Math.max(8, Math.min(28, Math.floor(Math.min(colW * 0.6, rowH * 0.8))));
    const width = left + colW * ncol + 8, height = rows * rowH + 8;
    const nodes = {}, order = [];
    cols.forEach((col, c) => {
      const names = c === 0 ? FEATURE_ORDER : col;
      const y0 = 4 + (height - 8 - names.length * rowH) / 2;
      names.forEach((name, i) => {
        const active = c > 0 || col.includes(name);
        const n = {name, column: c, index: active ? col.indexOf(name) : -1, active,
                   x: Math.round(left + colW * (c + 0.5)), y: Math.round(y0 + rowH * (i + 0.5)), size};
        nodes[name] = n; order.push(n);
      });
    });
    // edges in the order of the weights: each layer's W (fan_in, fan_out), row by row
    const edges = [];
    for (let c = 0; c + 1 < cols.length; c++)
      for (const a of cols[c]) for (const b of cols[c + 1]) edges.push([nodes[a], nodes[b]]);
    S.layout = {nodes, order, edges, width, height, size, colW, left};
    return S.layout;
  }

  function mapIndex(name) {
    // the row of a node's map in the frame's levels (active nodes, column by column)
    return allNodes().indexOf(name);
  }

  const scratch = document.createElement("canvas");
  function scratchImage(R) {
    // one R x R picture, reused: the maps are painted into it one after the other
    if (scratch.width !== R || scratch.height !== R || !scratch._img) {
      scratch.width = R; scratch.height = R; scratch._img = new ImageData(R, R);
    }
    return scratch._img;
  }
  function mapImage(index, stops) {
    // row ``index`` of the frame's maps, from its colour levels (0..255 on the map's own
    // scale, from the kernel)
    const R = S.scene.resolution, levels = S.levels;
    const table = lut(stops), img = scratchImage(R), px = img.data, base = index * R * R;
    for (let r = 0; r < R; r++) for (let c = 0; c < R; c++) {
      const k = levels[base + r * R + c];
      const o = ((R - 1 - r) * R + c) * 4;            // row 0 is the bottom of the plane
      px[o] = table[k * 3]; px[o + 1] = table[k * 3 + 1]; px[o + 2] = table[k * 3 + 2]; px[o + 3] = 255;
    }
    scratch.getContext("2d").putImageData(img, 0, 0);
    return scratch;
  }

  function drawNetwork() {
    const L = netLayout(), ctx = setupCanvas(netCanvas, L.width, L.height);
    ctx.clearRect(0, 0, L.width, L.height);
    const W = S.data.weights.data, B = S.data.biases.data;
    const focus = S.hover && S.hover.kind === "node" ? S.hover.name : S.selected;
    const [neg, pos] = S.scene.colors.edges;
    L.edges.forEach(([a, b], k) => {
      const w = W[k], near = !focus || a.name === focus || b.name === focus;
      ctx.strokeStyle = !Number.isFinite(w) || w === 0 ? "#999" : (w > 0 ? pos : neg);
      ctx.globalAlpha = near ? 0.85 : 0.12;
      ctx.lineWidth = Math.max(0.4, Math.min(5, 1.5 * Math.abs(Number.isFinite(w) ? w : 0)));
      const x1 = a.x + L.size / 2, x2 = b.x - L.size / 2, xm = (x1 + x2) / 2;
      ctx.beginPath(); ctx.moveTo(x1, a.y); ctx.bezierCurveTo(xm, a.y, xm, b.y, x2, b.y); ctx.stroke();
    });
    ctx.globalAlpha = 1;
    ctx.imageSmoothingEnabled = true;
    let bias = 0;
    for (const n of L.order) {
      const x0 = n.x - L.size / 2, y0 = n.y - L.size / 2;
      if (!n.active) {
        ctx.strokeStyle = "#bbb"; ctx.setLineDash([2, 2]); ctx.strokeRect(x0 + 0.5, y0 + 0.5, L.size - 1, L.size - 1);
        ctx.setLineDash([]); continue;
      }
      const i = mapIndex(n.name);
      ctx.drawImage(mapImage(i, S.scene.colors.node), x0, y0, L.size, L.size);
      ctx.strokeStyle = n.name === focus ? "#000" : "#999"; ctx.lineWidth = n.name === focus ? 2 : 1;
      ctx.strokeRect(x0, y0, L.size, L.size);
      if (n.column > 0) {                           // the bias square, as Playground's
        const b = B[bias++], q = Math.max(4, Math.round(L.size / 4));
        ctx.fillStyle = !Number.isFinite(b) || b === 0 ? "#999" : (b > 0 ? pos : neg);
        ctx.globalAlpha = Math.min(1, 0.3 + Math.abs(b));
        ctx.fillRect(x0 - q + 1, y0 + L.size - q + 1, q, q);
        ctx.globalAlpha = 1;
      }
    }
    // the column heads under the layer buttons are HTML; the features' names too
  }

  function buildNetworkHtml() {
    const L = netLayout(), c = S.config;
    if (!c || kind !== "full") return;
    const key = S.scene.columns.map((col) => col.join(",")).join("|") + L.width;
    if (layers._key === key) return;
    layers._key = key;
    layers.style.width = L.width + "px";
    layers.classList.toggle("lx-tight", L.colW < 44);   // narrow columns: narrower buttons
    const widths = c.widths, n = widths.length;
    const head = h("div", {class: "lx-head"},
      h("button", {class: "lx-add-layer", text: "+", title: n >= c.max_layers ? `at most ${c.max_layers} hidden layers` : "add a hidden layer", disabled: n >= c.max_layers, onclick: () => send({type: "layer", rule: "add_layer"})}),
      h("button", {class: "lx-remove-layer", text: "−", title: n ? "remove the last hidden layer" : "there is no hidden layer", disabled: n === 0, onclick: () => send({type: "layer", rule: "remove_layer"})}),
      h("span", {text: `${n} hidden layer${n === 1 ? "" : "s"}`}));
    const parts = [head];
    widths.forEach((w, i) => {
      const x = L.left + L.colW * (i + 1.5);
      parts.push(h("div", {class: "lx-layer", style: `left:${x - 22}px;width:44px`},
        h("div", {class: "lx-pm"},
          h("button", {class: `lx-add-neuron-${i}`, text: "+", disabled: w >= c.max_width, title: w >= c.max_width ? `at most ${c.max_width} neurons (Playground's)` : "add a neuron", onclick: () => send({type: "layer", rule: "add_neuron", index: i})}),
          h("button", {class: `lx-remove-neuron-${i}`, text: "−", disabled: w <= 1, title: w <= 1 ? "one neuron is the fewest: remove the layer instead" : "remove a neuron", onclick: () => send({type: "layer", rule: "remove_neuron", index: i})})),
        h("div", {class: `lx-width lx-width-${i}`, text: L.colW >= 56 ? `${w} neuron${w === 1 ? "" : "s"}` : `${w}`, title: `${w} neuron${w === 1 ? "" : "s"}`})));
    });
    layers.replaceChildren(...parts);
    featureBox.replaceChildren();
    const active = S.scene.columns[0];
    for (const f of FEATURE_ORDER) {
      const node = L.nodes[f];
      const box = h("input", {type: "checkbox"});
      box.checked = active.includes(f);
      box.addEventListener("change", () => {
        const now = FEATURE_ORDER.filter((g) => g === f ? box.checked : active.includes(g));
        setValue("features", now);
      });
      featureBox.append(h("label", {class: "lx-feature", "data-feature": f, title: S.scene.formulas[f] || f,
        style: `left:0;top:${node.y - 9}px;width:${node.x - L.size / 2 - 4}px;justify-content:flex-end;height:18px`},
        box, FEATURE_TEXT[f]));
    }
  }

  // hit test: a node's square, else the nearest edge within 5 px
  function hit(x, y) {
    const L = S.layout;
    if (!L) return null;
    for (const n of L.order) if (n.active && Math.abs(x - n.x) <= L.size / 2 + 2 && Math.abs(y - n.y) <= L.size / 2 + 2) return {kind: "node", name: n.name};
    let best = null, bestD = 5;
    L.edges.forEach(([a, b], k) => {
      const x1 = a.x + L.size / 2, x2 = b.x - L.size / 2;
      if (x < x1 - 2 || x > x2 + 2) return;
      const t = (x - x1) / (x2 - x1 || 1), s = t * t * (3 - 2 * t);   // the bezier's shape, near enough
      const d = Math.abs(y - (a.y + (b.y - a.y) * s));
      if (d < bestD) { bestD = d; best = {kind: "edge", index: k, from: a.name, to: b.name}; }
    });
    return best;
  }

  netCanvas.addEventListener("mousemove", (ev) => {
    const r = netCanvas.getBoundingClientRect();
    const found = hit(ev.clientX - r.left, ev.clientY - r.top);
    const same = JSON.stringify(found) === JSON.stringify(S.hover);
    S.hover = found;
    S.hoverAt = [ev.clientX - r.left, ev.clientY - r.top];
    if (!same) {
      showCard(); draw();
      const entry = [found ? (found.name || `${found.from}>${found.to}`) : null, ev.timeStamp, performance.now()];
      requestAnimationFrame(() => { entry.push(performance.now()); S.hovers.push(entry); });
    } else if (found) showCard();
  });
  netCanvas.addEventListener("mouseleave", () => { S.hover = null; showCard(); draw(); });
  netCanvas.addEventListener("click", () => {
    if (S.hover && S.hover.kind === "node") S.selected = S.selected === S.hover.name ? null : S.hover.name;
    draw();
  });

  function nodeInfo(name) {
    const cols = S.scene.columns, c = cols.findIndex((col) => col.includes(name));
    const i = cols[c].indexOf(name), W = S.data.weights.data, B = S.data.biases.data;
    let offset = 0, bOffset = 0;
    const inW = [], outW = [];
    for (let k = 0; k + 1 < cols.length; k++) {
      const fin = cols[k].length, fout = cols[k + 1].length;
      if (k + 1 === c) for (let j = 0; j < fin; j++) inW.push([cols[k][j], W[offset + j * fout + i]]);
      if (k === c) for (let j = 0; j < fout; j++) outW.push([cols[k + 1][j], W[offset + i * fout + j]]);
      offset += fin * fout;
    }
    for (let k = 1; k < c; k++) bOffset += cols[k].length;
    return {bias: c > 0 ? B[bOffset + i] : null, inW, outW};
  }

  function showCard() {
    const hv = S.hover;
    if (!hv || !S.data) { card.style.display = "none"; return; }
    let text;
    if (hv.kind === "node") {
      const info = nodeInfo(hv.name), list = (ws) => ws.slice(0, 8).map(([n, w]) => `${n} ${signed(w)}`).join(", ") + (ws.length > 8 ? ", …" : "");
      text = `<b>${hv.name}</b>` + (S.scene.formulas[hv.name] ? ` = ${S.scene.formulas[hv.name]}` : "");
      if (info.bias !== null) text += `<br>bias ${signed(info.bias)}`;
      if (info.inW.length) text += `<br>weights in: ${list(info.inW)}`;
      if (info.outW.length) text += `<br>weights out: ${list(info.outW)}`;
      text += "<br><i>its map is in the output picture" + (S.selected === hv.name ? " (chosen: click to let go)" : " (click to keep it)") + "</i>";
    } else {
      text = `<b>${hv.from} → ${hv.to}</b>: weight ${signed(S.data.weights.data[hv.index])}`;
    }
    card.innerHTML = text;
    card.style.display = "block";
    const [x, y] = S.hoverAt || [0, 0];
    card.style.left = Math.min(x + 14, (S.layout ? S.layout.width : 300) - 150) + "px";
    card.style.top = (y + 14) + "px";
  }

  // ---------------------------------------------------------------- the output
  const pointLayers = new Map();
  function pointsLayer(side, X, Y) {
    // the data points over a picture of the plane: they change only with the scene, so they
    // are drawn once into a canvas of their own, which every frame copies
    const r = window.devicePixelRatio || 1, key = `${side}|${r}|${S.display.show_test}`;
    let c = pointLayers.get(key);
    if (c && c._scene === S.scene) return c;
    if (!c) { c = document.createElement("canvas"); pointLayers.set(key, c); }
    c._scene = S.scene;
    const ctx = setupCanvas(c, side + 34, side + 22);
    ctx.clearRect(0, 0, side + 34, side + 22);
    const p = S.points.data, n = p.length / 4, classify = S.scene.task === "classification";
    const tl = lut(S.scene.colors.points);
    for (const test of [0, 1]) {
      if (test && !S.display.show_test) continue;
      for (let k = 0; k < n; k++) {
        if (p[k * 4 + 3] !== test) continue;
        const i = p[k * 4 + 2];                         // its colour's level, from the kernel
        ctx.fillStyle = `rgb(${tl[i*3]},${tl[i*3+1]},${tl[i*3+2]})`;
        ctx.beginPath(); ctx.arc(X(p[k * 4]), Y(p[k * 4 + 1]), 3.2, 0, 2 * Math.PI); ctx.fill();
        ctx.lineWidth = test ? 1.2 : 0.8; ctx.strokeStyle = test ? "#000" : (classify ? "#fff" : "#555"); ctx.stroke();
      }
    }
    return c;
  }

  function drawOutput(canvas, side, index, stops, pointsShown) {
    const ctx = setupCanvas(canvas, side + 34, side + 22);
    const {extent, ticks} = S.scene, x0 = 30, y0 = 2;
    ctx.clearRect(0, 0, side + 34, side + 22);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(mapImage(index, stops), x0, y0, side, side);
    const X = (v) => x0 + (v - extent[0]) / (extent[1] - extent[0]) * side;
    const Y = (v) => y0 + side - (v - extent[2]) / (extent[3] - extent[2]) * side;
    if (pointsShown) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);                 // the layer has the canvas's pixels
      ctx.drawImage(pointsLayer(side, X, Y), 0, 0);
      const r = window.devicePixelRatio || 1;
      ctx.setTransform(r, 0, 0, r, 0, 0);
    }
    const fg = S.fg;
    ctx.fillStyle = fg; ctx.strokeStyle = fg; ctx.font = "10px sans-serif"; ctx.lineWidth = 1;
    ctx.strokeRect(x0, y0, side, side);
    ctx.textAlign = "center";
    for (const [p, t] of ticks[0]) { const x = X(p); if (x >= x0 - 1 && x <= x0 + side + 1) ctx.fillText(t, x, y0 + side + 12); }
    ctx.textAlign = "right";
    for (const [p, t] of ticks[1]) { const y = Y(p); if (y >= y0 - 1 && y <= y0 + side + 1) ctx.fillText(t, x0 - 3, y + 3); }
  }

  function drawLegend() {
    const ctx = setupCanvas(legendBar, 90, 12), table = lut(S.scene.colors.boundary);
    for (let i = 0; i < 90; i++) { const k = Math.round(i / 89 * 255); ctx.fillStyle = `rgb(${table[k*3]},${table[k*3+1]},${table[k*3+2]})`; ctx.fillRect(i, 0, 1, 12); }
    const [lo, hi] = S.scene.value_range, labels = S.scene.labels;
    legendText.textContent = S.scene.task === "classification" ?
      `${lo} (class ${labels[0]}) … ${hi} (class ${labels[1]})` : `${lo} … ${hi} (targets ${labels[0]} … ${labels[1]}, rescaled)`;
    const k = setupCanvas(pointKey, 150, 12), fg = S.fg;
    k.clearRect(0, 0, 150, 12); k.font = "10px sans-serif";
    k.fillStyle = "#f7f7f7"; k.fillRect(0, 0, 11, 12); if (S.scene.held_out) k.fillRect(60, 0, 11, 12);
    k.beginPath(); k.arc(5, 6, 3.2, 0, 7); k.fillStyle = "#888"; k.fill(); k.strokeStyle = "#fff"; k.lineWidth = 0.8; k.stroke();
    k.fillStyle = fg; k.fillText("training", 11, 10);
    if (S.scene.held_out) {
      k.beginPath(); k.arc(66, 6, 3.2, 0, 7); k.fillStyle = "#888"; k.fill(); k.strokeStyle = "#000"; k.lineWidth = 1.2; k.stroke();
      k.fillStyle = fg; k.fillText("test point", 72, 10);
    }
  }

  // ---------------------------------------------------------------- curves
  function drawCurves(canvas, series, log, yLabel) {
    const ctx = setupCanvas(canvas, CURVE_W, CURVE_H), fg = S.fg;
    ctx.clearRect(0, 0, CURVE_W, CURVE_H);
    const x0 = 40, y0 = 14, w = CURVE_W - x0 - 8, hgt = CURVE_H - y0 - 18;
    let maxE = 10, lo = Infinity, hi = -Infinity;
    for (const s of series) {
      for (let i = 0; i < s.x.length; i++) {
        maxE = Math.max(maxE, s.x[i]);
        const v = s.y[i];
        if (Number.isFinite(v) && (!log || v > 0)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
    }
    if (!Number.isFinite(lo)) { lo = log ? 0.1 : 0; hi = 1; }
    const right = niceCeil(maxE);
    let yl, yh, T;
    if (log) {
      yl = 10 ** Math.floor(Math.log10(Math.max(lo, 1e-30))); yh = niceCeil(hi); if (yh <= yl) yh = yl * 10;
      T = (v) => y0 + hgt - (Math.log10(Math.max(v, yl)) - Math.log10(yl)) / (Math.log10(yh) - Math.log10(yl)) * hgt;
    } else {
      yl = 0; yh = niceCeil(hi > 0 ? hi : 1);
      T = (v) => y0 + hgt - (v - yl) / (yh - yl) * hgt;
    }
    const X = (e) => x0 + e / right * w;
    ctx.strokeStyle = fg; ctx.fillStyle = fg; ctx.globalAlpha = 0.5; ctx.lineWidth = 1;
    ctx.strokeRect(x0, y0, w, hgt); ctx.globalAlpha = 1;
    ctx.font = "10px sans-serif"; ctx.textAlign = "right";
    const yticks = log ? (() => { const t = []; for (let v = yl; v <= yh * 1.0001; v *= 10) t.push(v); if (t.length < 2) t.push(yh); return t; })() : [0, yh / 2, yh];
    for (const v of yticks) ctx.fillText(fmt(v), x0 - 3, T(v) + 3);
    ctx.textAlign = "center";
    for (const e of [0, right / 2, right]) ctx.fillText(fmt(e), X(e), y0 + hgt + 12);
    ctx.textAlign = "left"; ctx.fillText(yLabel, x0, 10);
    let lx = x0 + ctx.measureText(yLabel).width + 10;
    for (const s of series) {
      if (!s.x.length) continue;
      ctx.strokeStyle = s.color; ctx.lineWidth = 1.3; ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      let started = false;
      for (let i = 0; i < s.x.length; i++) {
        const v = s.y[i];
        if (!Number.isFinite(v)) { started = false; continue; }
        const px = X(s.x[i]), py = T(v);
        if (!started) { ctx.moveTo(px, py); started = true; } else ctx.lineTo(px, py);
      }
      ctx.stroke(); ctx.setLineDash([]);
      if (s.label) { ctx.fillStyle = s.color; ctx.fillText(s.label, lx, 10); lx += ctx.measureText(s.label).width + 8; }
    }
  }

  function lossSeries() {
    const d = S.data, c = S.scene.colors, held = S.scene.held_out;
    const series = [{x: d.epochs.data, y: d.loss.data, color: c.train, label: held ? "training" : ""}];
    if (held) series.push({x: d.epochs.data, y: d.test_loss.data, color: c.test, label: "test"});
    if (S.frame.pinned) {
      series.push({x: d.pinned_epochs.data, y: d.pinned_loss.data, color: "#888", dash: [4, 3], label: "pinned"});
      if (S.frame.pinned.held_out) series.push({x: d.pinned_epochs.data, y: d.pinned_test_loss.data, color: c.test, dash: [4, 3]});
    }
    return series;
  }

  function gradSeries() {
    const d = S.data, g = d.grads, layers = g.shape[1] || 0, n = g.shape[0] || 0, colors = S.scene.colors.depth;
    const out = [];
    for (let k = 0; k < layers; k++) {
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) y[i] = Math.max(g.data[i * layers + k], 1e-12);
      out.push({x: d.epochs.data, y, color: colors[k], label: k === layers - 1 ? "output" : `layer ${k + 1}`});
    }
    return out;
  }

  // ---------------------------------------------------------------- one frame
  function draw() {
    if (!S.scene || !S.data || !S.frame || S.stale) return;
    const f = S.frame;
    S.fg = getComputedStyle(root).color;     // read before any write: no forced layout
    setText(status, f.status);
    setText(progress, f.progress);
    if (buttons.play) {
      const playing = f.job === "play";
      setText(buttons.play, playing ? "▮▮ pause" : "▶ play");
      if (buttons.play.classList.contains("lx-on") !== playing) buttons.play.classList.toggle("lx-on", playing);
      setProp(buttons.cancel, "disabled", !f.job);
      setProp(buttons.step, "disabled", !!f.error);
      setProp(buttons.fast_forward, "disabled", !!f.error);
    }
    if (f.error) { setText(message, `Training stopped: ${f.error}. Press reset or change a setting to start again.`); setProp(message, "className", "lx-message lx-error"); }
    setText(title, S.scene.title); setProp(title, "title", S.scene.title);
    const outIndex = S.display.discretize ? f.rows.discretized : f.rows.output;
    const shown = (S.hover && S.hover.kind === "node" ? S.hover.name : null) || S.selected;
    if (kind === "full") {
      buildNetworkHtml();
      drawNetwork();
      if (shown && shown !== "output") {
        drawOutput(outCanvas, OUT, mapIndex(shown), S.scene.colors.node, true);
        setText(caption, `showing ${shown}` + (S.selected === shown ? " (chosen: click it to let go)" : ""));
      } else {
        drawOutput(outCanvas, OUT, outIndex, S.scene.colors.boundary, true);
        setText(caption, S.scene.task === "classification" ? "the output: the probability of class " + S.scene.labels[1] : "the output");
      }
      if (f.pinned) {
        if (pinBox.style.display !== "flex") pinBox.style.display = "flex";
        drawPinned();
        setText(pinCaption, `pinned run: ${f.pinned.title}. ${f.pinned.status}`);
      } else if (pinBox.style.display !== "none") pinBox.style.display = "none";
      drawCurves(gradCanvas, gradSeries(), true, "gradient RMS");
    } else {
      drawOutput(outCanvas, 220, outIndex, S.scene.colors.boundary, true);
      setText(caption, "");
    }
    if (S.legendFor !== S.scene || S.legendFg !== S.fg) { S.legendFor = S.scene; S.legendFg = S.fg; drawLegend(); }
    drawCurves(curveCanvas, lossSeries(), S.display.log_loss, `${S.scene.loss} loss${S.display.log_loss ? " (log)" : ""}`);
    if (S.hover) showCard();
  }

  function drawPinned() {
    // the pinned run's output, small
    const image = mapImage(S.frame.rows.pinned, S.scene.colors.boundary);
    const ctx = setupCanvas(pinCanvas, 120, 120);
    ctx.imageSmoothingEnabled = true; ctx.drawImage(image, 0, 0, 120, 120);
    ctx.strokeStyle = "#888"; ctx.strokeRect(0.5, 0.5, 119, 119);
  }

  function downloadPicture() {
    const parts = [netCanvas, outCanvas, curveCanvas, gradCanvas].filter((c) => c.width);
    const r = window.devicePixelRatio || 1;
    const W = parts.reduce((a, c) => a + c.width, 0) + 10 * r * parts.length, H = Math.max(...parts.map((c) => c.height));
    const all = document.createElement("canvas");
    all.width = W; all.height = H;
    const ctx = all.getContext("2d");
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
    let x = 0;
    for (const c of parts) { ctx.drawImage(c, x, 0); x += c.width + 10 * r; }
    const a = h("a", {href: all.toDataURL("image/png"), download: "labnn-explorer.png"});
    a.click();
  }

  const resize = new ResizeObserver(() => { S.layout = null; layers._key = null; redraw(); });
  resize.observe(root);
  send({type: "hello"});
  return () => { S.alive = false; resize.disconnect(); };
}

export default { render };
