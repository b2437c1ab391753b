// Progressive enhancement only: every page works without this file (forms post, links navigate).
(function () {
  'use strict';
  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent || 'null') : null;
  }

  function wireSelectAll(root) {
    var all = root.querySelector('#select-all');
    if (!all) return;
    all.addEventListener('change', function () {
      root.querySelectorAll('input[name="ids"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  function graph() {
    var el = document.getElementById('graph');
    var elements = readJson('graph-data');
    if (!el || !elements || typeof window.cytoscape !== 'function') return;
    var colours = { shopee: '#c2410c', lazada: '#1d4ed8', tiki: '#0369a1', sendo: '#b91c1c', tiktok: '#111827', web: '#4d7c0f' };
    window
      .cytoscape({
        container: el,
        elements: elements,
        layout: { name: 'cose', animate: false },
        style: [
          {
            selector: 'node',
            style: {
              label: 'data(label)',
              'text-wrap': 'wrap',
              'font-size': 10,
              'background-color': function (n) {
                return colours[n.data('marketplace')] || '#555';
              },
              color: '#111',
            },
          },
          {
            selector: 'edge',
            style: {
              label: 'data(label)',
              'font-size': 8,
              'curve-style': 'bezier',
              'line-color': '#64748b',
              width: function (e) {
                return e.data('strength') === 'strong' ? 4 : e.data('strength') === 'medium' ? 2 : 1;
              },
              'line-style': function (e) {
                return e.data('strength') === 'weak' ? 'dashed' : 'solid';
              },
            },
          },
        ],
      })
      .on('tap', 'node', function (evt) {
        var lead = evt.target.data('lead');
        if (lead) window.location.href = '/leads/' + lead;
      });
  }

  function charts() {
    if (typeof window.echarts !== 'object') return;
    var week = readJson('week-data');
    var weekEl = document.getElementById('week-chart');
    if (week && weekEl) {
      window.echarts.init(weekEl).setOption({
        animation: false,
        tooltip: {},
        xAxis: { type: 'category', data: week.weeks },
        yAxis: { type: 'value' },
        series: [{ type: 'bar', name: week.label, data: week.totals, itemStyle: { color: '#1d4ed8' } }],
      });
    }
    var kpi = readJson('kpi-data');
    var kpiEl = document.getElementById('kpi-chart');
    if (kpi && kpiEl) {
      window.echarts.init(kpiEl).setOption({
        animation: false,
        tooltip: {},
        xAxis: { type: 'category', data: kpi.versions },
        yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
        series: [{ type: 'bar', name: kpi.label, data: kpi.shares, itemStyle: { color: '#15803d' } }],
      });
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    wireSelectAll(document);
    graph();
    charts();
  });
  document.addEventListener('htmx:afterSwap', function () {
    wireSelectAll(document);
  });
})();
