// The query service's page: asks /render for the series of a seriesByTag target and draws them with uPlot,
// saying for each series which level its points come from and which alerts fire for it.
(function () {
  const form = document.getElementById('query');
  const status = document.getElementById('status');
  const list = document.getElementById('series');
  const chart = document.getElementById('chart');
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

  function say(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }

  // One x axis for all series: the union of their timestamps; a series without a point there has null.
  function align(series) {
    const times = new Set();
    series.forEach(s => s.datapoints.forEach(p => times.add(p[1])));
    const xs = Array.from(times).sort((a, b) => a - b);
    const index = new Map(xs.map((t, i) => [t, i]));
    const columns = series.map(s => {
      const column = new Array(xs.length).fill(null);
      s.datapoints.forEach(p => { column[index.get(p[1])] = p[0]; });
      return column;
    });
    return [xs].concat(columns);
  }

  function describe(series) {
    list.replaceChildren();
    series.forEach((s, i) => {
      const item = document.createElement('li');
      item.dataset.target = s.target;
      item.dataset.level = s.level;
      item.dataset.points = String(s.datapoints.length);
      const swatch = document.createElement('span');
      swatch.textContent = '\u25A0 ';
      swatch.style.color = (s.alerts || []).length ? '#b00020' : colours[i % colours.length];
      item.append(swatch, s.target);
      const level = document.createElement('span');
      level.className = 'level';
      level.textContent = s.level === 'raw' ? 'raw points' : s.level + ' rollup';
      item.append(level);
      (s.alerts || []).forEach(alert => {
        const firing = document.createElement('span');
        firing.className = 'firing';
        firing.textContent = 'FIRING ' + alert.rule + ' since ' + alert.startsAt;
        item.append(firing);
      });
      item.dataset.firing = String((s.alerts || []).length);
      list.append(item);
    });
  }

  function draw(series) {
    chart.replaceChildren();
    const data = align(series);
    const options = {
      width: Math.max(400, chart.clientWidth || 900),
      height: 360,
      series: [{}].concat(series.map((s, i) => ({
        label: s.target + ' (' + s.level + ')' + ((s.alerts || []).length ? ' FIRING' : ''),
        stroke: (s.alerts || []).length ? '#b00020' : colours[i % colours.length],
        width: (s.alerts || []).length ? 2 : 1,
        spanGaps: false,
      }))),
    };
    window.tsflowPlot = new uPlot(options, data, chart);
  }

  async function show() {
    const params = new URLSearchParams();
    ['target', 'from', 'until', 'level', 'aggregate'].forEach(name => {
      const value = document.getElementById(name).value.trim();
      if (value) { params.set(name, value); }
    });
    if (!params.get('target')) { say('Give a seriesByTag target.', 'error'); return; }
    params.set('format', 'json');
    params.set('maxDataPoints', String(Math.max(400, chart.clientWidth || 900)));
    history.replaceState(null, '', '?' + params.toString());
    say('Loading\u2026', 'loading');
    try {
      const response = await fetch('/render?' + params.toString());
      const body = await response.json();
      if (!response.ok) { say(body.error || ('HTTP ' + response.status), 'error'); return; }
      describe(body);
      draw(body);
      const points = body.reduce((n, s) => n + s.datapoints.length, 0);
      say(body.length + ' series, ' + points + ' points', 'drawn');
      status.dataset.series = String(body.length);
      status.dataset.points = String(points);
    } catch (e) {
      say('The query failed: ' + e, 'error');
    }
  }

  form.addEventListener('submit', event => { event.preventDefault(); show(); });
  const given = new URLSearchParams(location.search);
  ['target', 'from', 'until', 'level', 'aggregate'].forEach(name => {
    if (given.get(name)) { document.getElementById(name).value = given.get(name); }
  });
  fetch('/levels').then(r => r.json()).then(levels => {
    const select = document.getElementById('level');
    levels.forEach(level => {
      const option = document.createElement('option');
      option.value = level;
      option.textContent = level;
      select.append(option);
    });
    if (given.get('level')) { select.value = given.get('level'); }
  }).finally(() => { if (given.get('target')) { show(); } });
})();
