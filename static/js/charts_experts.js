/*
 * dxtalent — the ③ ladder's stage distribution (Chart.js 4; loaded after charts.js, both with `defer`).
 *
 * Source "experts-stage-data" (json_script) holds
 *   labels: stage names, the top stage first (so the bars read like the policy's pyramid)
 *   totals: headcount per stage
 *   routes: [{label: hire route name, data: [headcount per stage]}] — stacked horizontal bars
 * The table under the chart carries the same numbers (the accessible version).
 */
(function () {
  "use strict";

  if (!window.dxtalentCharts) {
    return;
  }

  var PALETTE = ["#0031d8", "#7096f8", "#00a3bf", "#ff8d44", "#9a5ccc", "#6e6e73", "#b4b4b9"];

  function personCount(value) {
    return value === null || value === undefined ? "—" : value + "名";
  }

  function stageChart(canvas, data, helpers) {
    var COLORS = helpers.COLORS;
    var routes = data.routes && data.routes.length ? data.routes : [{ label: "人数", data: data.totals }];
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: routes.map(function (route, i) {
          return { label: route.label, data: route.data, backgroundColor: PALETTE[i % PALETTE.length] };
        }),
      },
      options: {
        indexAxis: "y",
        responsive: true,
        aspectRatio: 2.4,
        animation: window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {},
        scales: {
          x: {
            stacked: true,
            beginAtZero: true,
            grid: { color: COLORS.grid },
            ticks: { color: COLORS.text, precision: 0 },
            title: { display: true, text: "人数（名）", color: COLORS.text },
          },
          y: { stacked: true, grid: { color: COLORS.grid }, ticks: { color: COLORS.text } },
        },
        plugins: {
          legend: { position: "bottom", labels: { color: COLORS.text } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + personCount(ctx.raw);
              },
              footer: function (items) {
                return items.length ? "計: " + personCount(data.totals[items[0].dataIndex]) : "";
              },
            },
          },
        },
      },
    });
  }

  window.dxtalentCharts.register("experts-stage-data", stageChart);
})();
