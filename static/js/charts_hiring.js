/*
 * dxtalent — charts of the hiring pages (hire route comparison, the 20 designated cities survey).
 * Loaded with `defer` after charts.js, which draws every <canvas data-chart-source="ID"> with the builder
 * registered for ID. The numbers are also in the table under each chart (the accessible version).
 *
 * routes-chart-data / routes-years-data: { routes: [name], stages: [name], counts: [[n per route] per stage],
 *   median_years: [years|null], mean_years: [years|null], leaver_rates: [percent|null], target: stage name }
 * survey-track-data / survey-split-data: { track: {labels, counts}, categories: [name], placements: [name],
 *   split: [[n per category] per placement] }
 */
(function () {
  "use strict";

  if (!window.dxtalentCharts) {
    return;
  }
  var PALETTE = ["#0031d8", "#7096f8", "#00a3bf", "#ffc700", "#ec0000", "#197a4b"];
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function base(helpers, yTitle, stacked) {
    var C = helpers.COLORS;
    return {
      responsive: true,
      aspectRatio: 2.4,
      animation: reduced ? false : {},
      scales: {
        x: { stacked: !!stacked, grid: { color: C.grid }, ticks: { color: C.text } },
        y: {
          stacked: !!stacked,
          beginAtZero: true,
          grid: { color: C.grid },
          ticks: { color: C.text, precision: 0 },
          title: { display: true, text: yTitle, color: C.text },
        },
      },
      plugins: { legend: { position: "bottom", labels: { color: C.text } } },
    };
  }

  function unit(suffix) {
    return function (ctx) {
      return ctx.dataset.label + ": " + (ctx.raw === null || ctx.raw === undefined ? "—" : ctx.raw + suffix);
    };
  }

  window.dxtalentCharts.register("routes-chart-data", function (canvas, data, helpers) {
    var options = base(helpers, "人数（名）", true);
    options.plugins.tooltip = { callbacks: { label: unit("名") } };
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.routes,
        datasets: data.stages.map(function (name, i) {
          return { label: name, data: data.counts[i], backgroundColor: PALETTE[i % PALETTE.length] };
        }),
      },
      options: options,
    });
  });

  window.dxtalentCharts.register("routes-years-data", function (canvas, data, helpers) {
    var options = base(helpers, data.target + "までの年数", false);
    options.scales.y.ticks.precision = 1;
    options.scales.y2 = {
      position: "right",
      beginAtZero: true,
      max: 100,
      grid: { drawOnChartArea: false },
      ticks: { color: helpers.COLORS.text },
      title: { display: true, text: "離脱率（%）", color: helpers.COLORS.text },
    };
    options.plugins.tooltip = {
      callbacks: {
        label: function (ctx) {
          return unit(ctx.dataset.yAxisID === "y2" ? "%" : "年")(ctx);
        },
      },
    };
    return new window.Chart(canvas, {
      data: {
        labels: data.routes,
        datasets: [
          { type: "bar", label: "年数（中央値）", data: data.median_years, backgroundColor: PALETTE[0] },
          { type: "bar", label: "年数（平均）", data: data.mean_years, backgroundColor: PALETTE[1] },
          {
            type: "line",
            label: "離脱率",
            data: data.leaver_rates,
            yAxisID: "y2",
            borderColor: helpers.COLORS.target,
            backgroundColor: helpers.COLORS.target,
            pointRadius: 4,
            showLine: false,
          },
        ],
      },
      options: options,
    });
  });

  window.dxtalentCharts.register("survey-track-data", function (canvas, data, helpers) {
    return new window.Chart(canvas, {
      type: "doughnut",
      data: {
        labels: data.track.labels,
        datasets: [{ data: data.track.counts, backgroundColor: [PALETTE[0], helpers.COLORS.grid] }],
      },
      options: {
        responsive: true,
        aspectRatio: 2.4,
        animation: reduced ? false : {},
        plugins: {
          legend: { position: "bottom", labels: { color: helpers.COLORS.text } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.label + ": " + ctx.raw + "都市";
              },
            },
          },
        },
      },
    });
  });

  window.dxtalentCharts.register("survey-split-data", function (canvas, data, helpers) {
    var options = base(helpers, "都市数", true);
    options.plugins.tooltip = { callbacks: { label: unit("都市") } };
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.categories,
        datasets: data.placements.map(function (name, i) {
          return { label: name, data: data.split[i], backgroundColor: PALETTE[i % PALETTE.length] };
        }),
      },
      options: options,
    });
  });
})();
