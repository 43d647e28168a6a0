// The measurement form: under each breakdown grid, the running sum of its categories next
// to the measured total, so that a mismatch shows before saving. The server checks anyway.
(function () {
  "use strict";
  function number(input) {
    if (!input || input.value.trim() === "") { return null; }
    var value = Number(input.value.replace(/\s/g, "").replace(",", "."));
    return isFinite(value) ? value : NaN;
  }
  function text(value) {
    return (Math.round(value * 100) / 100).toLocaleString(document.documentElement.lang || undefined);
  }
  function total(ids) {
    for (var i = 0; i < ids.length; i += 1) {
      var input = document.getElementById(ids[i]);
      if (input) { return number(input); }
    }
    return null;
  }
  // [name prefix of the cells, ids of the field holding their total]
  var SUMS = [["bd_", ["id_value", "id_numerator"]], ["bdd_", ["id_denominator"]]];
  function update(grid) {
    var dimension = grid.getAttribute("data-dimension");
    var out = grid.querySelector(".breakdown-sum");
    var parts = [];
    SUMS.forEach(function (spec) {
      var inputs = grid.querySelectorAll("input[name^='" + spec[0] + dimension + "_']");
      var sum = 0, filled = 0;
      inputs.forEach(function (input) {
        var v = number(input);
        if (v !== null) { sum += v; filled += 1; }
      });
      if (!filled || isNaN(sum)) { return; }
      var expected = total(spec[1]);
      var line = "Σ " + text(sum);
      if (expected !== null && !isNaN(expected)) {
        line += " / " + text(expected) + (Math.abs(sum - expected) > 1e-6 ? " ≠" : " ✓");
      }
      parts.push(line);
    });
    out.textContent = parts.join(" · ");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var grids = document.querySelectorAll(".breakdown-grid");
    if (!grids.length) { return; }
    grids.forEach(update);
    document.addEventListener("input", function () { grids.forEach(update); });
  });
})();
