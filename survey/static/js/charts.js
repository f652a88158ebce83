// Draws the charts whose figures are embedded as JSON; the tables beside them need no script.
(function () {
  "use strict";
  if (!window.Plotly) return;
  document.querySelectorAll("script.chart-data").forEach(function (data) {
    var figure = JSON.parse(data.textContent);
    var target = document.getElementById(data.dataset.target);
    if (!target) return;
    if (!("keepTitle" in data.dataset)) {
      // The page shows the title as a heading already.
      figure.layout.title = { text: "" };
    } else {
      // Projection mode: large type, the chart filling the screen.
      figure.layout.font = Object.assign({}, figure.layout.font, { size: 20 });
      figure.layout.title.font = { size: 30 };
      figure.layout.height = target.clientHeight;
    }
    if (document.documentElement.lang === "fr") {
      figure.layout.separators = ", ";  // 2,5 and 1 000, as in the tables beside the charts
    }
    Plotly.newPlot(target, figure.data, figure.layout, {
      displayModeBar: false, responsive: true
    });
  });
})();
