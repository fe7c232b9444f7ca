// Pharos operator console. Reads the status as server-sent events from /api/v1/stream with fetch
// (EventSource cannot send a bearer token); tokens live in this tab's sessionStorage only and are
// sent in the Authorization header, never in a URL. Every value from the API is put into the page
// as text (textContent), never as HTML.
'use strict';
const READ = 'pharos.readToken';
const ADMIN = 'pharos.adminToken';
const $ = (id) => document.getElementById(id);
let last = null;
let lastSeq = -1;
let watched = null; // the key of the last action taken here, to show where it has taken effect

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
function badge(state) { return el('span', { class: 'badge s-' + state }, state); }
function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? s + ' s ago' : s < 7200 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
}
function time(iso) { return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : ''; }
function headers(kind) {
  const h = {};
  const t = sessionStorage.getItem(kind);
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}
async function getJson(path) {
  const r = await fetch(path, { headers: headers(READ), cache: 'no-store' });
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

// ---- the connection -----------------------------------------------------------------------
function setConn(live, text) {
  const c = $('conn');
  c.className = 'conn ' + (live ? 'live' : 'lost');
  c.textContent = text;
  document.body.dataset.connection = live ? 'live' : 'lost';
}
async function stream() {
  const ctl = new AbortController();
  let watchdog;
  // the server sends at least every 5 s: silence for 12 s is a lost connection (a hung server)
  const kick = () => { clearTimeout(watchdog); watchdog = setTimeout(() => ctl.abort(), 12000); };
  let why = 'the connection to this instance was lost';
  try {
    kick();
    const r = await fetch('/api/v1/stream', { headers: headers(READ), signal: ctl.signal, cache: 'no-store' });
    if (r.status === 401) {
      $('login').hidden = false;
      setConn(false, 'read token needed');
      clearTimeout(watchdog);
      return;
    }
    if (!r.ok) throw new Error('HTTP ' + r.status);
    $('login').hidden = true;
    const reader = r.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      kick();
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        if (line === '') {
          if (data.length) onUpdate(JSON.parse(data.join('\n')));
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
      }
    }
  } catch (e) {
    if (e && e.name !== 'AbortError') why += ' (' + e.message + ')';
  }
  clearTimeout(watchdog);
  setConn(false, 'Connection lost at ' + new Date().toISOString().slice(11, 19)
    + ' UTC: ' + why + '; reconnecting. What you see may be out of date.');
  setTimeout(stream, 1000);
}

function onUpdate(u) {
  last = u;
  setConn(true, 'live: updated ' + new Date().toISOString().slice(11, 19) + ' UTC');
  render(u);
  if (u.journalSeq !== lastSeq) {
    lastSeq = u.journalSeq;
    loadIncidents();
  }
  if (historyTimer === null) loadHistory();
}

// ---- rendering ------------------------------------------------------------------------------
// A section is rebuilt only when what it shows has changed: a button the operator is about to
// press (or has focused with the keyboard) is not replaced under the pointer every second.
const shown = {};
function once(name, data, fn) {
  const key = JSON.stringify(data);
  if (shown[name] === key) return;
  shown[name] = key;
  fn();
}
function render(u) {
  const s = u.status;
  $('node').textContent = s.node;
  document.title = 'Pharos ' + s.node;
  renderFacts(u);
  // the content line's age is shown to the minute: the key changes with it, not every second
  once('regions', s.regions.map((r) => [r.name, r.state, r.reason, r.since, r.backendsUp, r.backendsTotal,
    r.content && [r.content.state, r.content.version, Math.floor((r.content.ageSeconds || 0) / 60)]]), () => renderRegions(s));
  renderMatrix(s);
  once('records', [s.records, u.actuators.map((a) => a.verification)], () => renderRecords(s, u.actuators));
  once('held', [s.guards, s.holds, u.actuators.filter((a) => a.stopped).map((a) => [a.name, a.stoppedBecause])], () => renderHeld(s, u.actuators));
  once('drains', s.actions, () => renderDrains(s));
  renderSelects(s);
  renderWatched(s);
}

function renderFacts(u) {
  const s = u.status;
  const q = s.quorum;
  const facts = [
    ['Ready', s.ready ? 'yes' : 'no: ' + s.notReadyBecause.join('; ')],
    ['Warm-up', s.warmup.done ? 'done' : s.warmup.roundsWithQuorum + ' of ' + s.warmup.roundsNeeded + ' rounds'],
    ['Quorum', (q.held ? 'held' : 'LOST') + ': ' + q.reachable + ' of ' + q.vantagePoints
      + ' vantage points reachable, ' + q.size + ' needed'
      + (q.missing.length ? '; missing ' + q.missing.join(', ') : '')
      + (q.abstaining.length ? '; abstaining ' + q.abstaining.join(', ') : '')],
    ['Decisions', s.frozen ? 'frozen: ' + s.frozen : 'running'],
    ['Writer', u.writer.writes ? 'this instance writes' + (u.writer.term ? ' (term ' + u.writer.term + ')' : '')
      : 'this instance does not write to external actuators' + (u.writer.elected ? ' (elected by etcd)' : '')],
    ['Actuators', u.actuators.length ? u.actuators.map((a) => a.name + ': '
      + (a.stopped ? 'STOPPED (' + (a.stoppedBecause || '') + ')' : a.applying ? 'applying' : a.dryRun ? 'dry run' : 'plan only')
      + (a.lastError ? ', last error: ' + a.lastError : '')).join('; ') : 'none'],
    ['Peers', s.peers.length ? s.peers.map((p) => p.name + (p.reachable ? ' reachable' : ' UNREACHABLE')
      + (p.lastError ? ' (' + p.lastError + ')' : '')).join('; ') : 'none'],
    ['Storage', [['journal', s.storage.journal], ['state file', s.storage.stateFile]]
      .map(([n, f]) => n + (f.failing ? ' FAILING: ' + (f.error || '') : ' written')).join('; ')],
    ['Round', String(s.round)],
  ];
  const dl = $('facts');
  dl.replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function renderRegions(s) {
  $('region-list').replaceChildren(...s.regions.map((r) => el('li', { id: 'region-' + r.name, 'data-state': r.state },
    el('h3', {}, r.name, ' ', badge(r.state)),
    el('p', { class: 'reason' }, r.reason || ''),
    el('p', { class: 'muted' }, 'since ' + time(r.since) + ' · backends ' + r.backendsUp + '/' + r.backendsTotal),
    r.content ? contentLine(r.content) : null)));
}
// The region's content (docs/CONTENT.md): its state, the manifest's version and the age of the
// last sync, in words; only for a region whose content is checked.
function syncedAgo(seconds) {
  if (seconds == null) return 'no sync time known';
  const m = Math.floor(seconds / 60);
  return 'synced ' + (m < 1 ? 'less than a minute ago' : m < 120 ? m + ' min ago'
    : m < 2880 ? Math.floor(m / 60) + ' h ago' : Math.floor(m / 1440) + ' days ago');
}
function contentLine(c) {
  return el('p', { class: 'content c-' + c.state, 'data-content-state': c.state },
    'content ', el('span', { class: 'badge c-' + c.state }, c.state),
    ' · ' + (c.version ? 'version ' + c.version : 'no version') + ' · ' + syncedAgo(c.ageSeconds));
}

function renderMatrix(s) {
  const vps = [];
  for (const r of s.regions) for (const t of r.targets) for (const v of t.vantagePoints) if (!vps.includes(v.vantage)) vps.push(v.vantage);
  const head = el('tr', {}, el('th', { scope: 'col' }, 'target'), el('th', { scope: 'col' }, 'verdict'),
    vps.map((v) => el('th', { scope: 'col' }, v)));
  const rows = [];
  for (const r of s.regions) {
    for (const t of r.targets) {
      const cells = vps.map((name) => {
        const v = t.vantagePoints.find((x) => x.vantage === name);
        if (!v) return el('td', {}, '');
        const last = v.last || {};
        const marks = [];
        if (!v.fresh) marks.push('stale');
        if (!v.reachable) marks.push('unreachable');
        if (v.abstaining) marks.push('abstaining');
        return el('td', { class: (v.fresh ? '' : 'stale ') + (v.abstaining ? 'abstaining' : ''), 'data-vote': v.vote },
          badge(v.vote), ' ',
          last.totalMs != null ? last.totalMs.toFixed(1) + ' ms' : '',
          last.reason ? el('div', {}, last.reason + (last.detail ? ': ' + last.detail : '')) : null,
          el('div', { class: 'muted' }, v.ageMs != null ? Math.round(v.ageMs / 100) / 10 + ' s old' : 'no observation'),
          marks.length ? el('div', {}, el('strong', {}, marks.join(', '))) : null);
      });
      rows.push(el('tr', { id: 'target-' + t.id }, el('th', { scope: 'row' }, t.id),
        el('td', {}, t.verdict ? badge(t.verdict.health) : '', t.verdict && t.verdict.reason ? el('div', { class: 'muted' }, t.verdict.reason) : null),
        cells));
    }
  }
  $('matrix-table').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
}

function renderRecords(s, actuators) {
  const head = el('tr', {}, ['name', 'type', 'TTL', 'desired', 'published now', 'in sync', 'worst-case failover']
    .map((h) => el('th', { scope: 'col' }, h)));
  const rows = s.records.map((r) => el('tr', { id: 'record-' + r.name + '-' + r.type, 'data-desired': r.desired.join(' ') },
    el('th', { scope: 'row' }, r.name), el('td', {}, r.type), el('td', {}, r.ttl + ' s'),
    el('td', { class: 'desired' }, r.desired.join(', ') || '(none)'),
    el('td', {}, r.published == null ? 'no DNS provider' : r.published.join(', ') || '(none)'),
    el('td', {}, r.published == null ? '' : r.inSync ? 'yes' : el('strong', {}, 'NO')),
    el('td', {}, r.worstCaseFailover.totalSeconds + ' s'),
  ));
  $('records-table').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  const servers = [];
  for (const a of actuators) {
    for (const v of a.verification || []) {
      servers.push(el('li', {}, a.name + ' · ' + JSON.stringify(v)));
    }
  }
  $('servers').replaceChildren(servers.length ? el('div', {}, el('h3', {}, 'Name servers checked'), el('ul', {}, servers)) : '');
}

function renderHeld(s, actuators) {
  const items = [];
  for (const a of actuators.filter((x) => x.stopped)) {
    items.push(el('li', { class: 'open', id: 'stopped-' + a.name },
      el('strong', {}, 'actuator stopped'), ' ', a.name, ': ', a.stoppedBecause || '',
      el('div', {}, el('button', {
        id: 'resume-' + a.name, type: 'button',
        onclick: () => act('Resume actuator ' + a.name, 'POST', '/api/v1/actuators/' + encodeURIComponent(a.name) + '/resume', null, 'resume/' + a.name),
      }, 'Resume ' + a.name))));
  }
  for (const g of s.guards) {
    const region = g.region || null;
    items.push(el('li', { class: 'open', id: 'guard-' + g.guard + '-' + (region || g.record || '') },
      el('strong', {}, g.guard), ' ', region || g.record || '', ': ', g.message,
      g.guard === 'blast-radius' && region ? el('div', {}, el('button', {
        id: 'confirm-' + region, type: 'button',
        onclick: () => act('Confirm the removal of ' + region, 'POST', '/api/v1/plan/confirm', { regions: [region] }, 'confirm/' + region),
      }, 'Confirm removal of ' + region)) : null));
  }
  for (const h of s.holds) {
    items.push(el('li', {}, el('strong', {}, h.kind), ' ', h.region, h.family ? ' (' + h.family + ')' : '', ': ', h.reason,
      el('div', { class: 'muted' }, h.until ? 'until ' + time(h.until) : 'until the region serves again',
        h.kind === 'hold-down' || h.kind === 'removed' ? ' · released by the region serving for the hold-down' : '',
        h.kind === 'blast-radius-window' ? ' · released when the window passes, or by confirming a held-back removal' : '')));
  }
  $('held-list').replaceChildren(...(items.length ? items : [el('li', {}, 'Nothing is held back.')]));
}

function renderDrains(s) {
  const items = s.actions.filter((a) => (a.kind === 'drain' || a.kind === 'maintenance') && (a.state === 'active' || a.state === 'scheduled'))
    .map((a) => el('li', { id: 'action-' + a.key.replace('/', '-') },
      el('strong', {}, a.kind + ' ' + a.region), ' ', a.state, ': ', a.reason || '',
      el('div', { class: 'muted' }, (a.start ? 'from ' + time(a.start) + ' ' : '') + 'until ' + time(a.until)
        + ' · by ' + a.by + ' at ' + a.origin + ' · held by ' + a.heldBy.join(', ')
        + (a.missing.length ? ' · not yet at ' + a.missing.join(', ') : '')),
      a.kind === 'drain'
        ? el('button', { type: 'button', id: 'undrain-' + a.region, class: 'secondary',
          onclick: () => act('Undrain ' + a.region, 'DELETE', '/api/v1/regions/' + encodeURIComponent(a.region) + '/drain', null, a.key) }, 'Undrain ' + a.region)
        : el('button', { type: 'button', class: 'secondary',
          onclick: () => act('Cancel maintenance of ' + a.region, 'DELETE', '/api/v1/maintenance/' + encodeURIComponent(a.key.split('/')[1]), null, a.key) }, 'Cancel')));
  $('drain-list').replaceChildren(...(items.length ? items : [el('li', {}, 'No drain or maintenance window.')]));
}

function renderSelects(s) {
  for (const sel of document.querySelectorAll('.region-select')) {
    const names = s.regions.map((r) => r.name);
    if ([...sel.options].map((o) => o.value).join() === names.join()) continue;
    const keep = sel.value;
    sel.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
    if (names.includes(keep)) sel.value = keep;
  }
}

function renderWatched(s) {
  if (!watched) return;
  const a = s.actions.find((x) => x.key === watched.key);
  const where = a ? a.state + ' · held by ' + a.heldBy.join(', ')
    + (a.missing.length ? ' · not yet at ' + a.missing.join(', ') : ' · at every vantage point') : 'not yet in this instance\'s status';
  $('result').textContent = watched.text + '\nWhere: ' + where;
}

async function loadIncidents() {
  try {
    const list = await getJson('/api/v1/incidents?limit=20');
    $('incident-list').replaceChildren(...(list.length ? list.map((i) => el('li', { class: i.ended ? '' : 'open' },
      el('details', {}, el('summary', {}, el('strong', {}, i.title), ' ', i.worst ? badge(i.worst) : '', ' ',
        time(i.started), ' – ', i.ended ? time(i.ended) : 'ongoing'),
      el('ul', {}, i.events.map((e) => el('li', {}, time(e.time) + ' ' + e.node + ' ' + e.type + ': ' + e.message)))))) : [el('li', {}, 'No incident.')]));
  } catch (e) { /* the stream shows the connection's state */ }
}

// ---- history (latency and up/down, last hour) ------------------------------------------------
// GET /api/v1/history: per target, one entry per 10 s bucket of this vantage point's own probes.
// Each chart: the mean latency of the successful probes as a line (broken where a bucket has
// none), failed probes as red bars under it (full height: every probe of the bucket failed).
const SVG = 'http://www.w3.org/2000/svg';
function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
function chart(t, n) {
  const w = 360, hgt = 70, bar = 14, top = 4;
  const x = (i) => (i * w) / n;
  const slowest = Math.max(0, ...t.maxMs.filter((v) => v != null));
  const scale = Math.max(1, ...t.meanMs.filter((v) => v != null));
  const y = (ms) => top + (hgt - bar - top - 2) * (1 - ms / scale);
  const probes = t.probes.reduce((a, b) => a + b, 0);
  const failed = t.failed.reduce((a, b) => a + b, 0);
  const oks = t.meanMs.map((m, i) => (m == null ? 0 : t.probes[i] - t.failed[i]));
  const okSum = oks.reduce((a, b) => a + b, 0);
  const mean = okSum ? t.meanMs.reduce((a, m, i) => a + (m == null ? 0 : m * oks[i]), 0) / okSum : null;
  const words = probes ? probes + ' probes, ' + failed + ' failed'
    + (mean != null ? ', mean ' + mean.toFixed(1) + ' ms, slowest ' + slowest.toFixed(1) + ' ms' : '')
    : 'no probes in the last hour';
  const svg = svgEl('svg', { viewBox: '0 0 ' + w + ' ' + hgt, preserveAspectRatio: 'none', role: 'img',
    'aria-label': t.id + ', last hour: ' + words });
  svg.append(svgEl('line', { x1: 0, x2: w, y1: hgt - bar - 1, y2: hgt - bar - 1, stroke: '#ccc', 'stroke-width': 1 }));
  let d = '';
  let drawing = false;
  for (let i = 0; i < n; i++) {
    const m = t.meanMs[i];
    if (m == null) { drawing = false; continue; }
    d += (drawing ? 'L' : 'M') + (x(i) + w / n / 2).toFixed(1) + ' ' + y(m).toFixed(1);
    drawing = true;
    if (i + 1 < n && t.meanMs[i + 1] == null) d += 'h' + (w / n).toFixed(1); // a lone bucket stays visible
  }
  if (t.probes.some((p) => p > 0)) {
    for (let i = 0; i < n; i++) {
      if (!t.probes[i]) continue;
      const share = t.failed[i] / t.probes[i];
      svg.append(svgEl('rect', { x: x(i).toFixed(1), y: hgt - bar, width: Math.max(1, w / n).toFixed(1), height: bar,
        fill: share > 0 ? '#b71c1c' : '#1b5e20', 'fill-opacity': share > 0 ? (0.35 + 0.65 * share).toFixed(2) : '0.25' }));
    }
  }
  svg.append(svgEl('path', { d, fill: 'none', stroke: '#0b4fa8', 'stroke-width': 1.5 }));
  return el('figure', { class: 'chart', id: 'history-' + t.id, 'data-probes': probes, 'data-failed': failed },
    el('h3', {}, t.id), svg, el('div', { class: 'axis muted', 'aria-hidden': 'true' }, el('span', {}, '60 min ago'), el('span', {}, 'now')),
    el('figcaption', { class: 'muted' }, words));
}
let historyTimer = null;
async function loadHistory() {
  clearTimeout(historyTimer);
  historyTimer = setTimeout(loadHistory, 10000);
  let h;
  try { h = await getJson('/api/v1/history'); } catch (e) { return; }
  $('history').hidden = false;
  $('history-span').textContent = 'What ' + h.node + ' saw itself, ' + time(h.from) + ' – ' + time(h.to)
    + ', in ' + h.bucketSeconds + ' s steps: the line is the mean latency of the successful probes,'
    + ' the band under it green where every probe succeeded and red where some failed.';
  $('history-charts').replaceChildren(...h.targets.map((t) => chart(t, t.probes.length)));
}

// ---- actions --------------------------------------------------------------------------------
function result(ok, text) {
  const r = $('result');
  r.className = 'result ' + (ok ? 'ok' : 'err');
  r.textContent = text;
}
async function act(what, method, path, body, key) {
  if (!sessionStorage.getItem(ADMIN)) {
    watched = null;
    result(false, what + ': enter the admin token first (Actions, below)');
    $('admin-token').focus();
    return;
  }
  if (!window.confirm(what + '?')) return;
  const h = headers(ADMIN);
  if (body) h['Content-Type'] = 'application/json';
  let r;
  try {
    r = await fetch(path, { method, headers: h, body: body ? JSON.stringify(body) : undefined });
  } catch (e) {
    watched = null;
    result(false, what + ': no answer (' + e.message + ')');
    return;
  }
  const text = await r.text();
  let j = null;
  try { j = JSON.parse(text); } catch (e) { /* not JSON */ }
  if (!r.ok) {
    watched = null;
    result(false, what + ': refused, HTTP ' + r.status + (j && j.detail ? ': ' + j.detail : ''));
    return;
  }
  result(true, '');
  watched = { key: (j && j.key) || key, text: what + ': done (HTTP ' + r.status + ')' };
  if (last) renderWatched(last.status);
}

function init() {
  $('read-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(READ, $('read-token').value);
    $('read-token').value = '';
    $('login').hidden = true;
    stream();
  });
  const showAdmin = () => { $('admin-state').textContent = sessionStorage.getItem(ADMIN) ? 'admin token kept for this tab' : 'no admin token'; };
  $('admin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if ($('admin-token').value) sessionStorage.setItem(ADMIN, $('admin-token').value);
    $('admin-token').value = '';
    showAdmin();
  });
  $('admin-forget').addEventListener('click', () => { sessionStorage.removeItem(ADMIN); showAdmin(); });
  showAdmin();
  $('drain-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const region = $('drain-region').value;
    act('Drain ' + region + ' for ' + $('drain-duration').value, 'POST', '/api/v1/regions/' + encodeURIComponent(region) + '/drain',
      { reason: $('drain-reason').value, duration: $('drain-duration').value }, 'drain/' + region);
  });
  $('maint-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const region = $('maint-region').value;
    act('Schedule maintenance of ' + region, 'POST', '/api/v1/regions/' + encodeURIComponent(region) + '/maintenance',
      { reason: $('maint-reason').value, start: $('maint-start').value + ':00Z', duration: $('maint-duration').value }, null);
  });
  setConn(false, 'connecting…');
  stream();
}
init();
