/*
 * dxtalent — the roll-up dashboard's bar chart (Chart.js 4, loaded before this file with `defer`).
 *
 * <canvas data-rollup-chart="ID"> reads <script type="application/json" id="ID"> (Django's json_script, allowed by
 * the strict CSP) holding labels (局区), verified and planned (hours per month). The table under the chart has the
 * same numbers and is the accessible version.
 */
(function () {
  "use strict";

  var COLORS = { verified: "#0031d8", planned: "#7096f8", grid: "#d8d8db", text: "#1a1a1c" };

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

  function hours(value) {
    return value === null || value === undefined ? "—" : value + "時間/月";
  }

  function build(canvas, data) {
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
                return ctx.dataset.label + ": " + hours(ctx.raw);
              },
            },
          },
        },
      },
    });
  }

  function init() {
    if (!window.Chart) {
      return;
    }
    var canvases = document.querySelectorAll("canvas[data-rollup-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var data = readData(canvas.getAttribute("data-rollup-chart"));
      if (data) {
        build(canvas, data);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
