/*
 * dxtalent — the attendance sheet (training/attendance.html). The page works without this file; it adds:
 *   - [data-all-present]: sets every row to 出席 and clears the hours inputs;
 *   - typing hours in a row selects that row's 遅刻・早退 radio; choosing 出席 or 欠席 clears the row's hours;
 *   - after a failed submit, focus moves to the error summary (#sheet-errors).
 * No inline script (CSP): loaded as a file with `defer`.
 */
(function () {
  "use strict";

  function rowOf(el) {
    return el.closest("tr");
  }

  function init(form) {
    var allPresent = form.querySelector("[data-all-present]");
    if (allPresent) {
      allPresent.addEventListener("click", function () {
        form.querySelectorAll("input[data-status][value='present']").forEach(function (radio) {
          radio.checked = true;
        });
        form.querySelectorAll("input[data-hours]").forEach(function (input) {
          input.value = "";
        });
      });
    }
    form.addEventListener("input", function (event) {
      var input = event.target;
      if (!input.matches("input[data-hours]") || input.value.trim() === "") {
        return;
      }
      var partial = rowOf(input).querySelector("input[data-status][value='partial']");
      if (partial) {
        partial.checked = true;
      }
    });
    form.addEventListener("change", function (event) {
      var radio = event.target;
      if (!radio.matches("input[data-status]") || radio.value === "partial") {
        return;
      }
      var hours = rowOf(radio).querySelector("input[data-hours]");
      if (hours) {
        hours.value = "";
      }
    });
    var errors = document.getElementById("sheet-errors");
    if (errors) {
      errors.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-attendance-sheet]").forEach(init);
  });
})();
