// SOOS dashboard: plain JavaScript and SVG, no library, nothing loaded from elsewhere.
// Data: GET /v1/clock (simulated time and warp), polls of /v1/tiles and /v1/jobs, the live event
// stream /v1/events, and GET /v1/jobs/{id} for the selected job. Everything over time (power,
// battery, temperatures) is kept here, in the page, from the polls.
(function () {
  'use strict';

  const TILE_POLL_MS = 1000;
  const JOB_POLL_MS = 2000;
  const CLOCK_POLL_MS = 30000;
  const HISTORY_POINTS = 720;
  const JOB_PAGES = 5;
  const JOB_ROWS = 200;
  const EVENT_ROWS = 100;
  const ARROW_MS = 8000;
  const DEFAULT_PERIOD_MS = 5736e3; // a 550 km circular orbit, for TILEs with no eclipse to measure one
  const EVENT_TYPES = ['submitted', 'queued', 'placed', 'running', 'checkpoint', 'migration-started',
    'release-started', 'source-released', 'requeued', 'succeeded', 'failed', 'cancelled'];
  const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const CX = 380, CY = 380, EARTH_R = 92, RING_MIN = 140, RING_MAX = 345;
  const COLORS = { sun: '#f7c948', penumbra: '#f08a24', umbra: '#5b6b8c' };

  const state = {
    clock: null,            // {simMs, perfMs, warp}
    tiles: new Map(),       // tileId -> latest TileJson
    history: new Map(),     // tileId -> [{t, solar, load, budget, batt, reserve, cap, plate, orins:[...]}]
    jobs: new Map(),        // jobId -> JobSummary (from the list, updated by events)
    arrows: [],             // {jobId, from, to, bornMs, persistent}
    pulses: [],             // {tileId, bornMs}
    selectedTile: null,
    selectedJob: null,
    tileElements: new Map(),
    planeOrder: [],
  };

  // ------------------------------------------------------------------ helpers

  const $ = (id) => document.getElementById(id);
  const ms = (iso) => (iso ? Date.parse(iso) : NaN);
  const fmt = (v, digits) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(digits));
  const shortId = (id) => (id && id.length > 8 ? id.substring(0, 8) : id || '');
  const simClock = (t) => (Number.isNaN(t) ? '–' : new Date(t).toISOString().substring(0, 19).replace('T', ' ') + 'Z');
  const simHm = (t) => new Date(t).toISOString().substring(11, 16);

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG_NS, tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error(path + ' answered ' + response.status);
    return response.json();
  }

  function simNow() {
    if (state.clock) return state.clock.simMs + (performance.now() - state.clock.perfMs) * state.clock.warp;
    let latest = NaN;
    for (const t of state.tiles.values()) latest = Number.isNaN(latest) ? ms(t.simTime) : Math.max(latest, ms(t.simTime));
    return latest;
  }

  /** Junction temperature colour: blue (20 °C) through yellow to red (95 °C and above). */
  function tempColor(c) {
    const x = Math.max(0, Math.min(1, (c - 20) / 75));
    return 'hsl(' + Math.round(220 - 220 * x) + ', 80%, ' + Math.round(55 - 5 * x) + '%)';
  }

  function illumination(eclipseState) {
    return eclipseState === 'UMBRA' ? COLORS.umbra : eclipseState === 'PENUMBRA' ? COLORS.penumbra : COLORS.sun;
  }

  function jobColor(id) {
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
    return 'hsl(' + (h % 360) + ', 85%, 65%)';
  }

  // ------------------------------------------------------------------ orbit phase from eclipse windows

  /**
   * Where a TILE is on its ring, relative to the centre of Earth's shadow (angle 0, to the right),
   * from its predicted shadow passes: the middle of a pass is the anti-Sun point of the orbit, and two
   * consecutive passes are one orbit apart. Returns null when the TILE has fewer than one full pass.
   */
  function shadowGeometry(tile) {
    const passes = (tile.nextEclipses || [])
      .map((w) => ({
        start: ms(w.penumbraStart || w.umbraStart),
        end: ms(w.penumbraEnd || w.umbraEnd),
        umbraStart: ms(w.umbraStart),
        umbraEnd: ms(w.umbraEnd),
      }))
      .filter((p) => !Number.isNaN(p.start) && !Number.isNaN(p.end));
    if (passes.length === 0) return null;
    const mid = (passes[0].start + passes[0].end) / 2;
    const periodMs = passes.length > 1 ? (passes[1].start + passes[1].end) / 2 - mid : NaN;
    return {
      mid,
      periodMs,
      halfShadowMs: (passes[0].end - passes[0].start) / 2,
      halfUmbraMs: Number.isNaN(passes[0].umbraStart) ? 0 : (passes[0].umbraEnd - passes[0].umbraStart) / 2,
    };
  }

  function planePeriod(planeId) {
    for (const t of state.tiles.values()) {
      if (t.planeId !== planeId) continue;
      const g = shadowGeometry(t);
      if (g && !Number.isNaN(g.periodMs)) return g.periodMs;
    }
    return DEFAULT_PERIOD_MS;
  }

  /** Angle of a TILE on its ring, degrees in (-180, 180], 0 = shadow centre, increasing with time. */
  function tileAngle(tile, now, indexInPlane, countInPlane) {
    const g = shadowGeometry(tile);
    const period = g && !Number.isNaN(g.periodMs) ? g.periodMs : planePeriod(tile.planeId);
    let frac;
    if (g) {
      frac = (now - g.mid) / period;
    } else {
      // No shadow pass ahead (e.g. a dawn-dusk orbit): spread the plane's TILEs evenly.
      frac = indexInPlane / Math.max(1, countInPlane) + now / period;
    }
    frac -= Math.floor(frac);
    const deg = frac * 360;
    return deg > 180 ? deg - 360 : deg;
  }

  /** The shadow arc of a plane: half-widths in degrees (shadow and umbra), from its TILEs' passes. */
  function planeShadow(planeId) {
    const halves = [];
    for (const t of state.tiles.values()) {
      if (t.planeId !== planeId) continue;
      const g = shadowGeometry(t);
      if (!g) continue;
      const period = Number.isNaN(g.periodMs) ? planePeriod(planeId) : g.periodMs;
      halves.push([g.halfShadowMs / period * 360, g.halfUmbraMs / period * 360]);
    }
    if (halves.length === 0) return null;
    halves.sort((a, b) => a[0] - b[0]);
    return halves[Math.floor(halves.length / 2)];
  }

  function ringRadius(planeId) {
    const i = state.planeOrder.indexOf(planeId);
    const n = state.planeOrder.length;
    if (n <= 1) return (RING_MIN + RING_MAX) / 2;
    return RING_MIN + (RING_MAX - RING_MIN) * i / (n - 1);
  }

  function polar(r, deg) {
    const a = deg * Math.PI / 180;
    return [CX + r * Math.cos(a), CY - r * Math.sin(a)];
  }

  function arcPath(r, fromDeg, toDeg) {
    const [x1, y1] = polar(r, fromDeg);
    const [x2, y2] = polar(r, toDeg);
    const large = Math.abs(toDeg - fromDeg) > 180 ? 1 : 0;
    // Counter-clockwise on screen = decreasing SVG angle: sweep flag 0.
    return 'M' + x1.toFixed(1) + ',' + y1.toFixed(1) + ' A' + r + ',' + r + ' 0 ' + large + ' 0 ' + x2.toFixed(1) + ',' + y2.toFixed(1);
  }

  // ------------------------------------------------------------------ the map

  function drawStatic() {
    const earth = $('earth-layer');
    earth.replaceChildren();
    earth.appendChild(svg('circle', { cx: CX, cy: CY, r: EARTH_R, fill: 'url(#earth-fill)', stroke: '#5b8def', 'stroke-width': 1 }));
    // Night half of the Earth, to the right (away from the Sun).
    earth.appendChild(svg('path', {
      d: 'M' + CX + ',' + (CY - EARTH_R) + ' A' + EARTH_R + ',' + EARTH_R + ' 0 0 1 ' + CX + ',' + (CY + EARTH_R) + ' z',
      fill: '#00000088',
    }));
    const label = svg('text', { x: CX, y: CY + 4, 'text-anchor': 'middle' });
    label.textContent = 'Earth';
    earth.appendChild(label);
    // The Sun, off to the left.
    const sun = svg('g', { id: 'sun' });
    sun.appendChild(svg('circle', { cx: 22, cy: CY, r: 16, fill: COLORS.sun }));
    for (let i = -2; i <= 2; i++) {
      sun.appendChild(svg('line', { x1: 44, y1: CY + i * 40, x2: 84, y2: CY + i * 40, stroke: COLORS.sun, 'stroke-width': 1, 'stroke-dasharray': '4 6', opacity: 0.5 }));
    }
    const sunLabel = svg('text', { x: 22, y: CY + 34, 'text-anchor': 'middle' });
    sunLabel.textContent = 'Sun';
    sun.appendChild(sunLabel);
    earth.appendChild(sun);
    drawLegend();
  }

  function drawLegend() {
    const g = $('legend-layer');
    g.replaceChildren();
    const items = [['stroke', COLORS.sun, 'sunlit'], ['stroke', COLORS.penumbra, 'penumbra'], ['stroke', COLORS.umbra, 'umbra']];
    items.forEach(([, color, text], i) => {
      g.appendChild(svg('circle', { cx: 18, cy: 18 + i * 18, r: 6, fill: '#0d1117', stroke: color, 'stroke-width': 3 }));
      const t = svg('text', { x: 30, y: 22 + i * 18 });
      t.textContent = text;
      g.appendChild(t);
    });
    for (let i = 0; i <= 10; i++) {
      g.appendChild(svg('rect', { x: 640 + i * 10, y: 12, width: 10, height: 10, fill: tempColor(20 + i * 7.5) }));
    }
    const lo = svg('text', { x: 640, y: 36 });
    lo.textContent = '20';
    const hi = svg('text', { x: 750, y: 36, 'text-anchor': 'end' });
    hi.textContent = '95 °C';
    const title = svg('text', { x: 695, y: 50, 'text-anchor': 'middle', class: 'ring-label' });
    title.textContent = 'hottest junction';
    g.append(lo, hi, title);
    const job = svg('circle', { cx: 18, cy: 76, r: 4, fill: jobColor('job'), class: 'job-dot' });
    const jobText = svg('text', { x: 30, y: 80 });
    jobText.textContent = 'job on a TILE';
    const arrow = svg('path', { d: 'M10,98 L28,98', class: 'migration', 'marker-end': 'url(#arrowhead)' });
    const arrowText = svg('text', { x: 34, y: 102 });
    arrowText.textContent = 'migration';
    g.append(job, jobText, arrow, arrowText);
  }

  /** An annular sector between radii r1 < r2 from angle a1 to a2 (degrees, counter-clockwise). */
  function sectorPath(r1, r2, a1, a2) {
    const [x1, y1] = polar(r2, a1);
    const [x2, y2] = polar(r2, a2);
    const [x3, y3] = polar(r1, a2);
    const [x4, y4] = polar(r1, a1);
    const large = Math.abs(a2 - a1) > 180 ? 1 : 0;
    return 'M' + x1.toFixed(1) + ',' + y1.toFixed(1) + ' A' + r2 + ',' + r2 + ' 0 ' + large + ' 0 ' + x2.toFixed(1) + ',' + y2.toFixed(1)
      + ' L' + x3.toFixed(1) + ',' + y3.toFixed(1) + ' A' + r1 + ',' + r1 + ' 0 ' + large + ' 1 ' + x4.toFixed(1) + ',' + y4.toFixed(1) + ' z';
  }

  function drawRings() {
    const g = $('ring-layer');
    g.replaceChildren();
    const shade = $('shadow-layer');
    shade.replaceChildren();
    const gap = state.planeOrder.length > 1 ? (RING_MAX - RING_MIN) / (state.planeOrder.length - 1) : 60;
    for (const planeId of state.planeOrder) {
      const r = ringRadius(planeId);
      g.appendChild(svg('circle', { cx: CX, cy: CY, r, fill: 'none', stroke: '#2d4a7a', 'stroke-width': 1.5 }));
      const shadow = planeShadow(planeId);
      if (shadow) {
        const [half, umbraHalf] = shadow;
        // Earth's shadow as this plane flies through it: the night side of its ring.
        shade.appendChild(svg('path', { d: sectorPath(Math.max(EARTH_R, r - gap / 2), r + gap / 2, -half, half), fill: '#000000', opacity: 0.35 }));
        g.appendChild(svg('path', { d: arcPath(r, -half, half), stroke: COLORS.penumbra, 'stroke-width': 7, fill: 'none', opacity: 0.55 }));
        if (umbraHalf > 0) {
          g.appendChild(svg('path', { d: arcPath(r, -umbraHalf, umbraHalf), stroke: '#020409', 'stroke-width': 7, fill: 'none', opacity: 0.9 }));
        }
        // The terminators: where the ring enters and leaves the shadow.
        for (const edge of [-half, half]) {
          const [x1, y1] = polar(r - 9, edge);
          const [x2, y2] = polar(r + 9, edge);
          g.appendChild(svg('line', { x1, y1, x2, y2, stroke: COLORS.penumbra, 'stroke-width': 1.5 }));
        }
      }
      const [lx, ly] = polar(r, 180 - 8);
      const label = svg('text', { x: lx, y: ly - 6, class: 'ring-label', 'text-anchor': 'middle' });
      label.textContent = planeId;
      g.appendChild(label);
    }
  }

  function rebuildTiles() {
    const layer = $('tile-layer');
    layer.replaceChildren();
    state.tileElements.clear();
    const showLabels = state.tiles.size <= 48;
    for (const tile of state.tiles.values()) {
      const group = svg('g', { class: 'tile', 'data-tile': tile.tileId, 'data-plane': tile.planeId });
      const body = svg('circle', { r: 9, class: 'tile-body', 'stroke-width': 3 });
      const title = svg('title');
      group.append(body, title);
      let label = null;
      if (showLabels) {
        label = svg('text', { 'text-anchor': 'middle', y: -15, 'font-size': 10 });
        label.textContent = tile.tileId;
        group.appendChild(label);
      }
      const jobs = svg('g', { class: 'tile-jobs' });
      group.appendChild(jobs);
      group.addEventListener('click', () => selectTile(tile.tileId));
      layer.appendChild(group);
      state.tileElements.set(tile.tileId, { group, body, title, jobs });
    }
  }

  function styleTiles() {
    for (const tile of state.tiles.values()) {
      const e = state.tileElements.get(tile.tileId);
      if (!e) continue;
      e.body.setAttribute('fill', tempColor(tile.maxJunctionTempCelsius));
      e.body.setAttribute('stroke', illumination(tile.eclipseState));
      e.group.setAttribute('data-eclipse', tile.eclipseState);
      e.group.setAttribute('data-temp', fmt(tile.maxJunctionTempCelsius, 1));
      e.group.classList.toggle('stale', !!tile.stale);
      e.group.classList.toggle('selected', tile.tileId === state.selectedTile);
      e.title.textContent = tile.tileId + ': ' + tile.eclipseState + ', junction ' + fmt(tile.maxJunctionTempCelsius, 1)
        + ' °C, battery ' + fmt(tile.batteryStateOfChargePercent, 0) + ' %';
      const running = [];
      for (const orin of tile.orins || []) {
        for (const job of orin.jobs || []) {
          if (job.state !== 'COMPLETED' && job.state !== 'STOPPED') running.push(job);
        }
      }
      e.jobs.replaceChildren();
      running.forEach((job, i) => {
        const a = (i / Math.max(4, running.length)) * 2 * Math.PI - Math.PI / 2;
        const dot = svg('circle', {
          cx: (15 * Math.cos(a)).toFixed(1), cy: (15 * Math.sin(a)).toFixed(1), r: 4,
          class: 'job-dot', fill: jobColor(job.jobId), 'data-job': job.jobId, 'data-job-state': job.state,
        });
        const t = svg('title');
        t.textContent = 'job ' + job.jobId + ' ' + job.state + ' ' + fmt(100 * job.doneGpuSeconds / Math.max(1e-9, job.workGpuSeconds), 0) + ' %';
        dot.appendChild(t);
        dot.addEventListener('click', (ev) => { ev.stopPropagation(); selectJob(job.jobId); });
        e.jobs.appendChild(dot);
      });
    }
  }

  function tilePosition(tileId, now) {
    const tile = state.tiles.get(tileId);
    if (!tile) return null;
    const same = [...state.tiles.values()].filter((t) => t.planeId === tile.planeId).map((t) => t.tileId).sort();
    return polar(ringRadius(tile.planeId), tileAngle(tile, now, same.indexOf(tileId), same.length));
  }

  function animate() {
    const now = simNow();
    if (!Number.isNaN(now)) {
      $('sim-time').textContent = simClock(now);
      const byPlane = new Map();
      for (const t of state.tiles.values()) {
        if (!byPlane.has(t.planeId)) byPlane.set(t.planeId, []);
        byPlane.get(t.planeId).push(t.tileId);
      }
      for (const ids of byPlane.values()) ids.sort();
      for (const tile of state.tiles.values()) {
        const e = state.tileElements.get(tile.tileId);
        if (!e) continue;
        const ids = byPlane.get(tile.planeId);
        const [x, y] = polar(ringRadius(tile.planeId), tileAngle(tile, now, ids.indexOf(tile.tileId), ids.length));
        e.group.setAttribute('transform', 'translate(' + x.toFixed(1) + ',' + y.toFixed(1) + ')');
      }
      drawArrows(now);
    }
    requestAnimationFrame(animate);
  }

  function drawArrows(now) {
    const wall = performance.now();
    state.arrows = state.arrows.filter((a) => a.persistent || wall - a.bornMs < ARROW_MS);
    state.pulses = state.pulses.filter((p) => wall - p.bornMs < 2000);
    const layer = $('arrow-layer');
    layer.replaceChildren();
    for (const a of state.arrows) {
      const from = tilePosition(a.from, now);
      const to = tilePosition(a.to, now);
      if (!from || !to) continue;
      // A curve bowing away from the Earth's centre, so arrows between rings stay visible.
      const mx = (from[0] + to[0]) / 2, my = (from[1] + to[1]) / 2;
      const dx = mx - CX, dy = my - CY;
      const len = Math.max(1, Math.hypot(dx, dy));
      const bow = 30 + 0.15 * Math.hypot(to[0] - from[0], to[1] - from[1]);
      const c = [mx + dx / len * bow, my + dy / len * bow];
      const opacity = a.persistent ? 1 : Math.max(0.15, 1 - (wall - a.bornMs) / ARROW_MS);
      layer.appendChild(svg('path', {
        d: 'M' + from[0].toFixed(1) + ',' + from[1].toFixed(1) + ' Q' + c[0].toFixed(1) + ',' + c[1].toFixed(1) + ' ' + to[0].toFixed(1) + ',' + to[1].toFixed(1),
        class: 'migration', 'marker-end': 'url(#arrowhead)', opacity: opacity.toFixed(2), 'data-job': a.jobId,
      }));
    }
    for (const p of state.pulses) {
      const at = tilePosition(p.tileId, now);
      if (!at) continue;
      const age = (wall - p.bornMs) / 2000;
      layer.appendChild(svg('circle', { cx: at[0], cy: at[1], r: 10 + 18 * age, class: 'pulse', opacity: (1 - age).toFixed(2) }));
    }
  }

  // ------------------------------------------------------------------ TILE detail and charts

  function recordHistory(tile) {
    const t = ms(tile.simTime);
    let points = state.history.get(tile.tileId);
    if (!points) {
      points = [];
      state.history.set(tile.tileId, points);
    }
    if (points.length && points[points.length - 1].t >= t) return;
    points.push({
      t,
      solar: tile.solarInputWatts,
      load: tile.loadWatts,
      budget: tile.computeBudgetWatts,
      batt: tile.batteryEnergyWh,
      reserve: tile.batteryReserveWh,
      cap: tile.batteryCapacityWh,
      plate: tile.plateTempCelsius,
      orins: (tile.orins || []).map((o) => o.junctionTempCelsius),
    });
    if (points.length > HISTORY_POINTS) points.splice(0, points.length - HISTORY_POINTS);
  }

  function selectTile(tileId) {
    state.selectedTile = tileId;
    styleTiles();
    renderTileDetail();
  }

  function fact(parent, label, value) {
    const d = el('div');
    d.append(el('span', null, label), document.createTextNode(value));
    parent.appendChild(d);
  }

  function renderTileDetail() {
    const tile = state.tiles.get(state.selectedTile);
    if (!tile) return;
    $('detail-id').textContent = tile.tileId + (tile.stale ? ' (stale)' : '');
    const facts = $('detail-facts');
    facts.replaceChildren();
    const now = simNow();
    const next = (tile.nextEclipses || []).map((w) => ms(w.penumbraStart || w.umbraStart)).filter((t) => t > now)[0];
    fact(facts, 'light', tile.eclipseState + ' (' + fmt(100 * tile.sunlitFraction, 0) + ' %)');
    fact(facts, 'beta', fmt(tile.betaAngleDeg, 1) + '°');
    fact(facts, 'next shadow', next ? 'in ' + fmt((next - now) / 60000, 1) + ' min' : 'none ahead');
    fact(facts, 'solar', fmt(tile.solarInputWatts, 0) + ' W');
    fact(facts, 'load', fmt(tile.loadWatts, 0) + ' W');
    fact(facts, 'budget', fmt(tile.computeBudgetWatts, 0) + ' W');
    fact(facts, 'battery', fmt(tile.batteryEnergyWh, 0) + ' / ' + fmt(tile.batteryCapacityWh, 0) + ' Wh');
    fact(facts, 'charge', fmt(tile.batteryStateOfChargePercent, 0) + ' %' + (tile.shedding ? ' SHEDDING' : ''));
    fact(facts, 'plate', fmt(tile.plateTempCelsius, 1) + ' °C');

    const points = state.history.get(tile.tileId) || [];
    const forecast = (tile.forecast || []).map((f) => ({ t: ms(f.at), solar: f.solarInputWatts, budget: f.computeBudgetWatts, batt: f.batteryEnergyWh }));
    const start = points.length ? points[0].t : now;
    const end = Math.max(now, start + 60e3) + 30 * 60e3;
    const xr = [Math.max(start, end - 4 * 3600e3), end];
    drawChart($('chart-power'), xr, now, [
      { color: '#f7c948', pts: points.map((p) => [p.t, p.solar]) },
      { color: '#58a6ff', pts: points.map((p) => [p.t, p.load]) },
      { color: '#3fb950', pts: points.map((p) => [p.t, p.budget]) },
      { color: '#f7c948', dash: [3, 3], pts: forecast.map((f) => [f.t, f.solar]) },
      { color: '#3fb950', dash: [3, 3], pts: forecast.map((f) => [f.t, f.budget]) },
    ], 0);
    drawChart($('chart-battery'), xr, now, [
      { color: '#a371f7', pts: points.map((p) => [p.t, p.batt]) },
      { color: '#a371f7', dash: [3, 3], pts: forecast.map((f) => [f.t, f.batt]) },
      { color: '#f85149', pts: [[xr[0], tile.batteryReserveWh], [xr[1], tile.batteryReserveWh]] },
    ], 0, tile.batteryCapacityWh);
    const orinCount = Math.max(0, ...points.map((p) => p.orins.length));
    const temp = [{ color: '#8b949e', pts: points.map((p) => [p.t, p.plate]) }];
    for (let i = 0; i < orinCount; i++) {
      temp.push({ color: ['#ff7b72', '#ffa657', '#d2a8ff', '#79c0ff'][i % 4], pts: points.filter((p) => p.orins[i] !== undefined).map((p) => [p.t, p.orins[i]]) });
    }
    drawChart($('chart-temp'), xr, now, temp);

    const orins = $('detail-orins');
    orins.replaceChildren();
    const table = el('table');
    const head = el('tr');
    ['Orin', 'module', 'mode', 'draw W', 'junction °C', 'health', 'jobs'].forEach((h) => head.appendChild(el('th', null, h)));
    table.appendChild(head);
    for (const o of tile.orins || []) {
      const row = el('tr');
      [String(o.slot), o.module, o.powerModeName, fmt(o.drawWatts, 1), fmt(o.junctionTempCelsius, 1), o.health,
        (o.jobs || []).map((j) => shortId(j.jobId) + ' ' + j.state + ' ' + fmt(100 * j.doneGpuSeconds / Math.max(1e-9, j.workGpuSeconds), 0) + '%').join(', ') || '–']
        .forEach((v) => row.appendChild(el('td', null, v)));
      table.appendChild(row);
    }
    orins.appendChild(table);
  }

  /** A line chart on a canvas: x = simulated time over xr, y fitted to the data (or given bounds). */
  function drawChart(canvas, xr, now, series, yMinFixed, yMaxFixed) {
    const ctx = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height, left = 40, right = 6, top = 6, bottom = 16;
    ctx.clearRect(0, 0, w, h);
    const values = [];
    for (const s of series) for (const [t, v] of s.pts) if (t >= xr[0] && t <= xr[1] && Number.isFinite(v)) values.push(v);
    let yMin = yMinFixed !== undefined ? yMinFixed : Math.min(...values);
    let yMax = yMaxFixed !== undefined ? yMaxFixed : Math.max(...values);
    if (!Number.isFinite(yMin) || !Number.isFinite(yMax)) { yMin = 0; yMax = 1; }
    if (yMax - yMin < 1e-6) { yMax += 1; yMin -= yMinFixed !== undefined ? 0 : 1; }
    const pad = (yMax - yMin) * 0.05;
    if (yMaxFixed === undefined) yMax += pad;
    if (yMinFixed === undefined) yMin -= pad;
    const x = (t) => left + (w - left - right) * (t - xr[0]) / (xr[1] - xr[0]);
    const y = (v) => top + (h - top - bottom) * (1 - (v - yMin) / (yMax - yMin));
    ctx.strokeStyle = '#30363d';
    ctx.lineWidth = 1;
    ctx.strokeRect(left, top, w - left - right, h - top - bottom);
    ctx.fillStyle = '#8b949e';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.fillText(fmt(yMax, 0), left - 3, top + 9);
    ctx.fillText(fmt(yMin, 0), left - 3, h - bottom);
    ctx.textAlign = 'left';
    ctx.fillText(simHm(xr[0]), left, h - 3);
    ctx.textAlign = 'right';
    ctx.fillText(simHm(xr[1]) + ' sim', w - right, h - 3);
    if (now >= xr[0] && now <= xr[1]) {
      ctx.strokeStyle = '#6e7681';
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(x(now), top);
      ctx.lineTo(x(now), h - bottom);
      ctx.stroke();
    }
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      let started = false;
      for (const [t, v] of s.pts) {
        if (t < xr[0] || t > xr[1] || !Number.isFinite(v)) continue;
        if (started) ctx.lineTo(x(t), y(v)); else ctx.moveTo(x(t), y(v));
        started = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  // ------------------------------------------------------------------ jobs

  /** Renders the job list at most every 250 ms however many events arrive. */
  let jobsRenderPending = false;
  function scheduleRenderJobs() {
    if (jobsRenderPending) return;
    jobsRenderPending = true;
    setTimeout(() => { jobsRenderPending = false; renderJobs(); }, 250);
  }

  function renderJobs() {
    const jobs = [...state.jobs.values()].sort((a, b) => (ms(b.updatedAt) || 0) - (ms(a.updatedAt) || 0));
    let running = 0, pending = 0, done = 0;
    for (const j of jobs) {
      if (TERMINAL.has(j.state)) done++;
      else if (j.state === 'PENDING') pending++;
      else running++;
    }
    $('job-count').textContent = running + ' / ' + pending + ' / ' + done;
    $('jobs-note').textContent = jobs.length > JOB_ROWS ? '(latest ' + JOB_ROWS + ' of ' + jobs.length + ')' : '(' + jobs.length + ')';
    const body = $('jobs').tBodies[0];
    body.replaceChildren();
    for (const j of jobs.slice(0, JOB_ROWS)) {
      const row = el('tr', { 'data-job': j.id, 'data-state': j.state });
      if (j.id === state.selectedJob) row.classList.add('selected');
      const id = el('td');
      const swatch = el('span', { style: 'color:' + jobColor(j.id) }, '● ');
      id.append(swatch, document.createTextNode(shortId(j.id)));
      row.appendChild(id);
      row.appendChild(el('td', null, j.name || ''));
      const st = el('td');
      st.appendChild(el('span', { class: 'state state-' + j.state }, j.state));
      row.appendChild(st);
      row.appendChild(el('td', null, String(j.priority)));
      row.appendChild(el('td', null, String(j.epoch)));
      const where = j.tileId ? j.tileId + ' / ' + j.slot + (j.migratingToTileId ? ' → ' + j.migratingToTileId : '') : (j.queuePlaneId ? 'queued on ' + j.queuePlaneId : '–');
      row.appendChild(el('td', null, where));
      row.appendChild(el('td', null, Number.isNaN(ms(j.updatedAt)) ? '–' : new Date(ms(j.updatedAt)).toISOString().substring(11, 19)));
      row.addEventListener('click', () => selectJob(j.id));
      body.appendChild(row);
    }
    // Migrations in progress stay drawn while the job is migrating.
    state.arrows = state.arrows.filter((a) => !a.persistent);
    for (const j of jobs) {
      if (j.state === 'MIGRATING' && j.tileId && j.migratingToTileId) {
        state.arrows.push({ jobId: j.id, from: j.tileId, to: j.migratingToTileId, bornMs: performance.now(), persistent: true });
      }
    }
  }

  async function selectJob(id) {
    state.selectedJob = id;
    renderJobs();
    await refreshJobDetail();
  }

  async function refreshJobDetail() {
    const id = state.selectedJob;
    if (!id) return;
    let job;
    try {
      job = await getJson('/v1/jobs/' + encodeURIComponent(id));
    } catch (e) {
      $('job-detail-id').textContent = shortId(id) + ' (' + e.message + ')';
      return;
    }
    if (state.selectedJob !== id) return;
    $('job-detail-id').textContent = job.id;
    const facts = $('job-facts');
    facts.replaceChildren();
    fact(facts, 'name', job.spec.name || '–');
    fact(facts, 'state', job.state);
    fact(facts, 'epoch', String(job.epoch));
    fact(facts, 'on', job.placement ? job.placement.tileId + ' / Orin ' + job.placement.slot : '–');
    fact(facts, 'progress', fmt(100 * job.progressFraction, 1) + ' %');
    fact(facts, 'migrations', String(job.migrations));
    fact(facts, 'work', fmt(job.spec.workGpuSeconds, 0) + ' GPU-s');
    fact(facts, 'lost', fmt(job.lostGpuSeconds, 0) + ' GPU-s');
    fact(facts, 'priority', String(job.spec.priority));
    const body = $('job-history').tBodies[0];
    body.replaceChildren();
    for (const h of (job.history || []).slice().reverse()) {
      const row = el('tr', { 'data-event': h.event });
      [simClock(ms(h.at)), h.event, String(h.epoch), h.detail || ''].forEach((v) => row.appendChild(el('td', null, v)));
      body.appendChild(row);
    }
  }

  function onEvent(type, e) {
    let ev;
    try {
      ev = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    const job = state.jobs.get(ev.jobId);
    const previousTile = job ? job.tileId : null;
    if (type === 'migration-started' && previousTile && ev.tileId && previousTile !== ev.tileId) {
      state.arrows.push({ jobId: ev.jobId, from: previousTile, to: ev.tileId, bornMs: performance.now(), persistent: false });
    }
    if ((type === 'placed' || type === 'running') && ev.tileId) {
      state.pulses.push({ tileId: ev.tileId, bornMs: performance.now() });
    }
    if (job) {
      job.state = ev.state;
      job.epoch = ev.epoch;
      job.updatedAt = ev.at;
      if (type === 'migration-started') job.migratingToTileId = ev.tileId;
      else if (type === 'placed' || type === 'running') { job.tileId = ev.tileId || job.tileId; job.planeId = ev.planeId || job.planeId; job.migratingToTileId = null; }
    } else {
      state.jobs.set(ev.jobId, { id: ev.jobId, name: '', priority: '', state: ev.state, epoch: ev.epoch, tileId: ev.tileId || null,
        planeId: ev.planeId || null, slot: '', submittedAt: ev.at, updatedAt: ev.at });
    }
    const list = $('events');
    const item = el('li', { class: 'ev-' + type, 'data-job': ev.jobId });
    item.append(el('span', { class: 'ev-type' }, type), document.createTextNode(shortId(ev.jobId)
      + (ev.tileId ? ' → ' + ev.tileId : '') + ' e' + ev.epoch + (ev.reason ? ' (' + ev.reason + ')' : '') + ' · ' + simHm(ms(ev.at))));
    list.insertBefore(item, list.firstChild);
    while (list.children.length > EVENT_ROWS) list.removeChild(list.lastChild);
    scheduleRenderJobs();
    if (ev.jobId === state.selectedJob) refreshJobDetail();
  }

  function connectEvents() {
    const source = new EventSource('/v1/events');
    const status = $('sse-state');
    source.onopen = () => { status.textContent = 'live'; status.className = 'sse-on'; };
    source.onerror = () => { status.textContent = 'reconnecting'; status.className = 'sse-off'; };
    for (const type of EVENT_TYPES) source.addEventListener(type, (e) => onEvent(type, e));
  }

  // ------------------------------------------------------------------ polling

  async function pollClock() {
    try {
      const c = await getJson('/v1/clock');
      state.clock = { simMs: ms(c.simTime), perfMs: performance.now(), warp: c.warp };
      $('warp').textContent = c.warp + '×';
    } catch (e) {
      // Keep the last clock; the TILEs' own report times are the fallback.
    }
  }

  async function pollTiles() {
    try {
      const body = await getJson('/v1/tiles');
      const ids = new Set(body.tiles.map((t) => t.tileId));
      const changed = ids.size !== state.tiles.size || [...ids].some((id) => !state.tiles.has(id));
      state.tiles = new Map(body.tiles.map((t) => [t.tileId, t]));
      body.tiles.forEach(recordHistory);
      const planes = [...new Set(body.tiles.map((t) => t.planeId))].sort();
      const planesChanged = planes.join() !== state.planeOrder.join();
      state.planeOrder = planes;
      if (changed || planesChanged) rebuildTiles();
      drawRings();
      styleTiles();
      let sunlit = 0;
      for (const t of body.tiles) if (t.eclipseState === 'SUNLIT') sunlit++;
      $('tile-count').textContent = String(body.count);
      $('sun-count').textContent = sunlit + ' / ' + (body.count - sunlit);
      if (!state.selectedTile && body.tiles.length) state.selectedTile = body.tiles[0].tileId;
      renderTileDetail();
      $('map-note').textContent = 'Sun to the left, Earth\'s shadow to the right. One ring per orbital plane (' + planes.join(', ')
        + ', inside out); each TILE at its place in its orbit relative to the shadow, from its predicted shadow passes, moving '
        + 'counter-clockwise in simulated time. Dark arc: umbra; orange: penumbra; ticks: the terminator.';
    } catch (e) {
      $('map-note').textContent = 'cannot read /v1/tiles: ' + e.message;
    }
  }

  async function pollJobs() {
    try {
      const all = [];
      let cursor = null;
      for (let page = 0; page < JOB_PAGES; page++) {
        const body = await getJson('/v1/jobs?limit=1000' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
        all.push(...body.jobs);
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      state.jobs = new Map(all.map((j) => [j.id, j]));
      renderJobs();
      if (state.selectedJob && state.jobs.has(state.selectedJob) && !TERMINAL.has(state.jobs.get(state.selectedJob).state)) {
        refreshJobDetail();
      }
    } catch (e) {
      $('jobs-note').textContent = 'cannot read /v1/jobs: ' + e.message;
    }
  }

  function every(fn, periodMs) {
    const run = async () => {
      await fn();
      setTimeout(run, periodMs);
    };
    run();
  }

  drawStatic();
  every(pollClock, CLOCK_POLL_MS);
  every(pollTiles, TILE_POLL_MS);
  every(pollJobs, JOB_POLL_MS);
  connectEvents();
  requestAnimationFrame(animate);
})();
