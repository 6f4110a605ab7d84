/*
 * dxtalent — charts of the programme dashboard (Chart.js 4, loaded before this file with `defer`).
 *
 * A chart is a <canvas data-chart-source="ID"> whose data sits in <script type="application/json" id="ID">
 * written by Django's json_script (not executable, so the strict CSP allows it). The data has
 *   labels:     年度 labels (令和8年度 …)
 *   certified:  certified in the year (bars; null for future years)
 *   cumulative: cumulative certified (line; null for future years)
 *   targets:    the policy pack's cumulative target (dashed line; null where the pack sets none)
 * The roll-up dashboard's chart (source "rollups-chart-data") has labels (局区), verified and planned (hours per
 * month). The same numbers are in the table under each chart, which is the accessible version.
 */
(function () {
  "use strict";

  var COLORS = {
    bar: "#7096f8", // --color-primitive-blue-400
    planned: "#7096f8",
    verified: "#0031d8",
    line: "#0031d8", // --color-primitive-blue-900 (key colour)
    target: "#ec0000", // --color-primitive-red-800
    grid: "#d8d8db",
    text: "#1a1a1c",
  };

  function readData(id) {
    var el = document.getElementById(id);
    if (!el) {
      return null;
    }
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  function hoursPerMonth(value) {
    return value === null || value === undefined ? "—" : value + "時間/月";
  }

  function personCount(value) {
    return value === null || value === undefined ? "—" : value + "名";
  }

  function leadersChart(canvas, data) {
    return new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          {
            type: "bar",
            label: "年度内の認定",
            data: data.certified,
            backgroundColor: COLORS.bar,
            order: 3,
          },
          {
            type: "line",
            label: "累計認定",
            data: data.cumulative,
            borderColor: COLORS.line,
            backgroundColor: COLORS.line,
            pointRadius: 4,
            spanGaps: false,
            order: 1,
          },
          {
            type: "line",
            label: "累計目標",
            data: data.targets,
            borderColor: COLORS.target,
            backgroundColor: COLORS.target,
            borderDash: [6, 4],
            pointStyle: "rectRot",
            pointRadius: 5,
            spanGaps: true,
            order: 2,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: 2.4,
        animation: window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {},
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { grid: { color: COLORS.grid }, ticks: { color: COLORS.text } },
          y: {
            beginAtZero: true,
            grid: { color: COLORS.grid },
            ticks: { color: COLORS.text, precision: 0 },
            title: { display: true, text: "人数（名）", color: COLORS.text },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { color: COLORS.text, usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + personCount(ctx.raw);
              },
            },
          },
        },
      },
    });
  }

  function savingsChart(canvas, data) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "実績（効果検証済み）", data: data.verified, backgroundColor: COLORS.verified },
          { label: "見込み（進行中）", data: data.planned, backgroundColor: COLORS.planned },
        ],
      },
      options: {
        responsive: true,
        aspectRatio: 2.4,
        animation: window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {},
        scales: {
          x: { grid: { color: COLORS.grid }, ticks: { color: COLORS.text } },
          y: {
            grid: { color: COLORS.grid },
            ticks: { color: COLORS.text },
            title: { display: true, text: "削減時間（時間/月）", color: COLORS.text },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { color: COLORS.text } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + hoursPerMonth(ctx.raw);
              },
            },
          },
        },
      },
    });
  }

  var BUILDERS = { "kpi-chart-data": leadersChart, "rollups-chart-data": savingsChart };

  // Other chart files (loaded with `defer` after this one, so before DOMContentLoaded) add their builders:
  //   window.dxtalentCharts.register("radar-data", function (canvas, data, helpers) { ... });
  // `helpers` gives the shared COLORS; init() runs once the document is parsed.
  window.dxtalentCharts = {
    COLORS: COLORS,
    register: function (source, builder) {
      BUILDERS[source] = builder;
    },
  };

  function init() {
    if (!window.Chart) {
      return; // the table under each chart carries the same numbers
    }
    var canvases = document.querySelectorAll("canvas[data-chart-source]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      if (canvas.hasAttribute("data-dx-chart")) {
        return;
      }
      var source = canvas.getAttribute("data-chart-source");
      var data = readData(source);
      var build = BUILDERS[source] || leadersChart;
      if (!data) {
        return;
      }
      canvas.setAttribute("data-dx-chart", "");
      build(canvas, data, { COLORS: COLORS });
    });
  }

  // Deferred scripts run while readyState is "interactive", before DOMContentLoaded: wait for it, so every chart
  // file has registered its builders. init() skips canvases already drawn, so the `load` fallback is harmless.
  if (document.readyState === "complete") {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
    window.addEventListener("load", init);
  }
})();
