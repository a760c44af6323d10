/* Spillway dashboard: reads one snapshot a second from /v1/dashboard/events (Server-Sent Events) and draws it with
 * uPlot. Counters arrive cumulative; rates are computed here from consecutive snapshots. No data is kept beyond
 * HISTORY points. The HTTP token (when the server has http-tokens) is kept in sessionStorage for this tab only. */
(function () {
  'use strict';

  var HISTORY = 120;
  var TOKEN_KEY = 'spillway-token';
  var CUT_COLORS = ['#b91c1c', '#d97706', '#7c3aed', '#0e7490'];
  var SHED_COLORS = ['#b91c1c', '#d97706', '#7c3aed', '#0e7490', '#15803d', '#be185d', '#4b5563'];

  var state = {
    snapshots: 0,
    received: false,
    previous: null,
    source: null,
    sortKey: 'queued_bytes',
    sortDesc: true,
    slow: [],
    charts: {},
    series: {}
  };
  window.spillwayDashboard = state;

  function $(id) { return document.getElementById(id); }

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; }
  }

  function bytes(n) {
    if (n >= 1073741824) { return (n / 1073741824).toFixed(1) + ' GiB'; }
    if (n >= 1048576) { return (n / 1048576).toFixed(1) + ' MiB'; }
    if (n >= 1024) { return (n / 1024).toFixed(1) + ' KiB'; }
    return n + ' B';
  }

  function setStatus(text, cls) {
    var s = $('status');
    s.textContent = text;
    s.className = 'status ' + (cls || '');
  }

  /* ---- charts ---- */

  function chart(id, labels, colors, fmt, hidden) {
    var el = $(id);
    var series = [{}];
    var data = [[]];
    labels.forEach(function (label, i) {
      series.push({ label: label, stroke: colors[i % colors.length], width: 1.5, show: !(hidden && hidden[i]),
        value: function (u, v) { return v == null ? '–' : fmt(v); } });
      data.push([]);
    });
    var opts = {
      width: Math.max(300, el.clientWidth || 460),
      height: 170,
      series: series,
      scales: { x: { time: true } },
      axes: [{}, { size: 70, values: function (u, vals) { return vals.map(fmt); } }],
      legend: { live: false }
    };
    state.charts[id] = new uPlot(opts, data, el);
    state.series[id] = data;
  }

  function push(id, t, values) {
    var data = state.series[id];
    data[0].push(t);
    for (var i = 0; i < values.length; i++) { data[i + 1].push(values[i]); }
    if (data[0].length > HISTORY) { data.forEach(function (a) { a.shift(); }); }
    state.charts[id].setData(data);
  }

  function rate(cur, prev, dt) {
    return prev == null || dt <= 0 ? null : Math.max(0, (cur - prev) / dt);
  }

  function plain(v) { return (Math.round(v * 10) / 10).toString(); }

  var cutReasons = null;
  var shedReasons = null;

  function ensureCharts(s) {
    if (state.charts['c-messages']) { return; }
    cutReasons = Object.keys(s.slow_consumer_cuts || {});
    shedReasons = Object.keys((s.http && s.http.shed) || {});
    chart('c-messages', ['published/s', 'delivered/s'], ['#2563eb', '#15803d'], plain);
    // The budget is a worst case, far above the usual figures: its line is off until its legend entry is clicked.
    chart('c-queued', ['total', 'largest client', 'budget'], ['#2563eb', '#d97706', '#b91c1c'], bytes,
      [false, false, true]);
    chart('c-cuts', cutReasons, CUT_COLORS, plain);
    chart('c-sheds', shedReasons.length ? shedReasons : ['(admission off)'], SHED_COLORS, plain);
    chart('c-admission', ['queue depth', 'in flight', 'limit'], ['#2563eb', '#15803d', '#6b7280'], plain);
  }

  function update(s) {
    ensureCharts(s);
    var p = state.previous;
    var t = s.time_ms / 1000;
    var dt = p ? t - p.time_ms / 1000 : 0;
    var http = s.http || {};
    var ph = p ? (p.http || {}) : {};
    push('c-messages', t, [rate(s.messages_published, p && p.messages_published, dt),
      rate(s.messages_delivered, p && p.messages_delivered, dt)]);
    push('c-queued', t, [s.queued_output_bytes, s.largest_client_queued_bytes, s.output_budget_bytes]);
    push('c-cuts', t, cutReasons.map(function (r) {
      return rate(s.slow_consumer_cuts[r], p && p.slow_consumer_cuts[r], dt);
    }));
    push('c-sheds', t, shedReasons.length ? shedReasons.map(function (r) {
      return rate(http.shed[r], ph.shed && ph.shed[r], dt);
    }) : [null]);
    push('c-admission', t, [http.queue_depth || 0, http.in_flight || 0, http.concurrency_limit || 0]);

    $('t-clients').textContent = s.connected_clients;
    $('t-queued').textContent = bytes(s.queued_output_bytes) + (s.output_budget_bytes > 0
      ? ' (' + (100 * s.queued_output_bytes / s.output_budget_bytes).toFixed(2) + ' %)' : '');
    $('t-largest').textContent = bytes(s.largest_client_queued_bytes);
    $('t-budget').textContent = bytes(s.output_budget_bytes);
    $('t-queue').textContent = http.queue_depth == null ? 'off' : http.queue_depth + ' / ' + http.queue_capacity;
    $('t-inflight').textContent = http.in_flight == null ? '–' : http.in_flight + ' / ' + http.concurrency_limit;
    $('t-drain').textContent = http.drain_rate_per_second == null ? '–' : http.drain_rate_per_second + '/s';
    $('t-p99').textContent = s.admission_p99_ms + ' ms';
    $('summary').textContent = s.channels + ' channels, ' + s.patterns + ' patterns'
      + (s.shard_channels ? ', ' + s.shard_channels + ' shard channels' : '');
    state.slow = s.slow_clients || [];
    renderTable();
    state.previous = s;
    state.snapshots++;
  }

  /* ---- slow-client table ---- */

  function cell(tr, text) {
    var td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function renderTable() {
    var key = state.sortKey;
    var rows = state.slow.slice().sort(function (a, b) {
      var x = a[key];
      var y = b[key];
      var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return state.sortDesc ? -c : c;
    });
    var body = document.querySelector('#slow tbody');
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.forEach(function (c) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-id', c.id);
      if (c.millis_above_soft_limit > 0) { tr.className = 'over'; }
      cell(tr, c.id);
      cell(tr, c.addr);
      cell(tr, c.name);
      cell(tr, c.channels + (c.patterns ? ' + ' + c.patterns + ' patterns' : '')
        + (c.shard_channels ? ' + ' + c.shard_channels + ' shard' : ''));
      cell(tr, c.queued_bytes).className = 'queued';
      cell(tr, (c.millis_above_soft_limit / 1000).toFixed(1) + ' s');
      cell(tr, c.policy_state);
      cell(tr, c.strategy);
      var td = document.createElement('td');
      var b = document.createElement('button');
      b.className = 'kill';
      b.type = 'button';
      b.textContent = 'kill';
      b.addEventListener('click', function () { kill(c.id, b); });
      td.appendChild(b);
      tr.appendChild(td);
      body.appendChild(tr);
    });
    $('slow-empty').hidden = rows.length > 0;
    document.querySelectorAll('#slow th[data-key]').forEach(function (th) {
      var on = th.getAttribute('data-key') === key;
      th.className = on ? 'sorted' + (state.sortDesc ? '' : ' asc') : '';
    });
  }

  function kill(id, button) {
    var headers = {};
    if (token()) { headers.Authorization = 'Bearer ' + token(); }
    button.disabled = true;
    fetch('/v1/clients/' + encodeURIComponent(id) + '/kill', { method: 'POST', headers: headers })
      .then(function (r) {
        if (r.status === 401) { showLogin('The token was refused.'); }
        button.textContent = r.ok ? 'killed' : 'failed (' + r.status + ')';
      })
      .catch(function () { button.textContent = 'failed'; });
  }

  /* ---- connection ---- */

  function showLogin(reason) {
    $('login-reason').textContent = reason;
    $('login').hidden = false;
  }

  function connect() {
    if (state.source) { state.source.close(); }
    var url = '/v1/dashboard/events';
    if (token()) { url += '?access_token=' + encodeURIComponent(token()); }
    var es = new EventSource(url);
    state.source = es;
    setStatus('connecting…');
    es.addEventListener('open', function () { setStatus('live', 'live'); });
    es.addEventListener('snapshot', function (e) {
      state.received = true;
      $('login').hidden = true;
      setStatus('live', 'live');
      update(JSON.parse(e.data));
    });
    es.addEventListener('error', function () {
      if (es.readyState !== EventSource.CLOSED) {
        setStatus('reconnecting…', 'down');
        return;
      }
      setStatus('disconnected', 'down');
      if (!state.received) {
        showLogin(token() ? 'Could not connect: the token was refused, or too many dashboards are open.'
          : 'This server needs an HTTP token (http-tokens) to show its figures, or too many dashboards are open.');
      }
      setTimeout(connect, 3000);
    });
  }

  document.querySelectorAll('#slow th[data-key]').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      state.sortDesc = key === state.sortKey ? !state.sortDesc : true;
      state.sortKey = key;
      renderTable();
    });
  });

  $('login').addEventListener('submit', function (e) {
    e.preventDefault();
    try { sessionStorage.setItem(TOKEN_KEY, $('token').value); } catch (err) { /* private mode: keep none */ }
    state.received = false;
    connect();
  });

  connect();
}());
