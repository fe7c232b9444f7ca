// The public status page: reads /api/v1/public (no token; region names, a status word, times).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const time = (iso) => new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  function item(cls, ...parts) {
    const li = document.createElement('li');
    if (cls) li.className = cls;
    for (const p of parts) li.append(p);
    return li;
  }
  function badge(word) {
    const s = document.createElement('span');
    s.className = 'badge s-' + word;
    s.textContent = word;
    return s;
  }
  async function load() {
    try {
      const r = await fetch('/api/v1/public', { cache: 'no-store' });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const v = await r.json();
      $('regions').replaceChildren(...v.regions.map((g) => {
        const li = item(null, g.name, badge(g.status));
        li.id = 'region-' + g.name;
        li.dataset.status = g.status;
        return li;
      }));
      $('incidents').replaceChildren(...(v.incidents.length ? v.incidents.map((i) => item(i.ended ? '' : 'open',
        i.region + ' ', badge(i.status), ' ' + time(i.started) + ' – ' + (i.ended ? time(i.ended) : 'ongoing')))
        : [item(null, 'No recent incidents.')]));
      $('updated').textContent = 'updated ' + time(v.updatedAt);
    } catch (e) {
      $('updated').textContent = 'cannot reach the status service; retrying';
    }
  }
  load();
  setInterval(load, 10000);
})();
