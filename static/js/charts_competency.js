/*
 * dxtalent — charts of the competency pages (Chart.js 4 and charts.js are loaded before this file, all `defer`).
 *
 * Sources (json_script, not executable, so the strict CSP allows them):
 *   competency-radar-data:  labels (item names), self / evaluator / expected (levels, null = none), min, max,
 *                           scale [{level, label}], expected_label
 *   competency-cohort-data: labels, series [{label, data, tone}], max  (bars: pre vs post averages)
 *   competency-gaps-data:   labels, series [{label, data, tone}], max  (bars: evaluator average vs expected)
 * The table under each chart carries the same numbers (the accessible version).
 */
(function () {
  "use strict";

  if (!window.dxtalentCharts) {
    return;
  }

  var TONES = {
    self: "#7096f8", // blue-400
    evaluator: "#0031d8", // blue-900 (key colour)
    expected: "#ec0000", // red-800
    pre: "#9ab6fd",
    post: "#0031d8",
    pre_alt: "#c2ddb5",
    post_alt: "#259d63",
  };

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {};
  }

  function levelText(scale, value) {
    if (value === null || value === undefined) {
      return "—";
    }
    var found = (scale || []).filter(function (s) {
      return s.level === value;
    })[0];
    return found ? value + "（" + found.label + "）" : String(value);
  }

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }

  function radarChart(canvas, data, helpers) {
    var C = helpers.COLORS;
    var datasets = [];
    function add(label, values, color, dashed) {
      if (!values || !values.length) {
        return;
      }
      datasets.push({
        label: label,
        data: values,
        borderColor: color,
        backgroundColor: alpha(color, dashed ? 0 : 0.15),
        pointBackgroundColor: color,
        borderDash: dashed ? [6, 4] : [],
        spanGaps: true,
      });
    }
    add("本人", data.self, TONES.self, false);
    add("評価者", data.evaluator, TONES.evaluator, false);
    add(data.expected_label || "期待レベル", data.expected, TONES.expected, true);
    return new window.Chart(canvas, {
      type: "radar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        aspectRatio: 1.4,
        animation: reducedMotion(),
        scales: {
          r: {
            min: 0,
            max: data.max,
            ticks: { stepSize: 1, color: C.text, backdropColor: "transparent" },
            grid: { color: C.grid },
            angleLines: { color: C.grid },
            pointLabels: { color: C.text, font: { size: 13 } },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { color: C.text } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + levelText(data.scale, ctx.raw);
              },
            },
          },
        },
      },
    });
  }

  function barChart(canvas, data, helpers) {
    var C = helpers.COLORS;
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: (data.series || []).map(function (s) {
          return { label: s.label, data: s.data, backgroundColor: TONES[s.tone] || C.bar };
        }),
      },
      options: {
        responsive: true,
        aspectRatio: 2.2,
        animation: reducedMotion(),
        scales: {
          x: { grid: { color: C.grid }, ticks: { color: C.text } },
          y: {
            min: 0,
            max: data.max,
            grid: { color: C.grid },
            ticks: { color: C.text, stepSize: 1 },
            title: { display: true, text: "平均レベル", color: C.text },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { color: C.text } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + (ctx.raw === null ? "—" : ctx.raw);
              },
            },
          },
        },
      },
    });
  }

  window.dxtalentCharts.register("competency-radar-data", radarChart);
  window.dxtalentCharts.register("competency-cohort-data", barChart);
  window.dxtalentCharts.register("competency-gaps-data", barChart);
})();
