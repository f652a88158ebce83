// Draws the charts whose figures are embedded as JSON; the tables beside them need no script.
(function () {
  "use strict";
  if (!window.Plotly) return;
  document.querySelectorAll("script.chart-data").forEach(function (data) {
    var figure = JSON.parse(data.textContent);
    // The page shows the title as a heading already; projection mode keeps it in the chart.
    if (!("keepTitle" in data.dataset)) figure.layout.title = { text: "" };
    var target = document.getElementById(data.dataset.target);
    if (!target) return;
    Plotly.newPlot(target, figure.data, figure.layout, {
      displayModeBar: false, responsive: true, locale: document.documentElement.lang
    });
  });
})();
