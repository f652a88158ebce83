// Draws the charts whose figures are embedded as JSON; the tables beside them need no script.
(function () {
  "use strict";
  if (!window.Plotly) return;

  // Numbered badges (annotations named "badge") start above their dot. Once the chart is
  // drawn, those that collide are pushed apart in pixels, each keeping its leader line to its
  // dot and staying inside the plot, so that tasks close together read on any screen.
  function spreadBadges(target) {
    var annotations = target.layout.annotations || [];
    var indexes = [];
    annotations.forEach(function (a, i) { if (a.name === "badge") indexes.push(i); });
    if (!indexes.length) return Promise.resolve();
    var xa = target._fullLayout.xaxis, ya = target._fullLayout.yaxis;
    var left = xa._offset, right = xa._offset + xa._length;
    var top = ya._offset, bottom = ya._offset + ya._length;
    var anchors = indexes.map(function (i) {
      return { x: xa._offset + xa.l2p(annotations[i].x), y: ya._offset + ya.l2p(annotations[i].y) };
    });
    var size = (annotations[indexes[0]].font || {}).size || 13;
    var w = size * 1.7 + 6, h = size * 1.7 + 4, gap = 3;
    var spots = anchors.map(function (p) { return { x: p.x, y: p.y - h - 4 }; });
    // The words already on the chart (corners, areas) are obstacles too.
    var frame = target.getBoundingClientRect();
    var words = [];
    target.querySelectorAll(".annotation").forEach(function (node) {
      var index = Number(node.getAttribute("data-index"));
      if (annotations[index] && annotations[index].name === "badge") return;
      var box = node.getBoundingClientRect();
      words.push({ x: box.left - frame.left, y: box.top - frame.top, w: box.width, h: box.height });
    });
    for (var round = 0; round < 400; round++) {
      var moved = false;
      for (var i = 0; i < spots.length; i++) {
        for (var j = i + 1; j < spots.length; j++) {
          var dx = spots[j].x - spots[i].x, dy = spots[j].y - spots[i].y;
          var ox = w + gap - Math.abs(dx), oy = h + gap - Math.abs(dy);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          if (ox < oy) {
            var px = (ox / 2 + 0.5) * (dx < 0 ? -1 : 1);
            spots[i].x -= px; spots[j].x += px;
          } else {
            var py = (oy / 2 + 0.5) * (dy < 0 ? -1 : 1);
            spots[i].y -= py; spots[j].y += py;
          }
        }
      }
      spots.forEach(function (spot) {
        anchors.forEach(function (dot) {  // never over a dot
          if (Math.abs(spot.x - dot.x) < w / 2 + 4 && Math.abs(spot.y - dot.y) < h / 2 + 4) {
            spot.y = dot.y + (spot.y <= dot.y ? -1 : 1) * (h / 2 + 4);
            moved = true;
          }
        });
        words.forEach(function (box) {  // sideways, towards the middle: words sit at the edges
          var cx = box.x + box.w / 2;
          if (Math.abs(spot.x - cx) < (w + box.w) / 2 &&
              Math.abs(spot.y - (box.y + box.h / 2)) < (h + box.h) / 2) {
            spot.x = cx + (cx < (left + right) / 2 ? 1 : -1) * ((w + box.w) / 2 + 1);
            moved = true;
          }
        });
        spot.x = Math.min(Math.max(spot.x, left + w / 2), right - w / 2);
        spot.y = Math.min(Math.max(spot.y, top + h / 2), bottom - h / 2);
      });
      if (!moved) break;
    }
    var update = {};
    indexes.forEach(function (index, k) {
      update["annotations[" + index + "].ax"] = Math.round(spots[k].x - anchors[k].x);
      update["annotations[" + index + "].ay"] = Math.round(spots[k].y - anchors[k].y);
    });
    return Plotly.relayout(target, update);
  }

  document.querySelectorAll("script.chart-data").forEach(function (data) {
    var figure = JSON.parse(data.textContent);
    var target = document.getElementById(data.dataset.target);
    if (!target) return;
    if (!("keepTitle" in data.dataset)) {
      // The page shows the title as a heading already.
      figure.layout.title = { text: "" };
    } else {
      // Projection mode: large type, the chart filling the screen (or more, scrolled).
      figure.layout.font = Object.assign({}, figure.layout.font, { size: 20 });
      figure.layout.title.font = { size: 30 };
      figure.layout.height = Math.max(target.clientHeight, figure.layout.height * 1.4);
      if (figure.layout.margin && figure.layout.margin.b) {
        figure.layout.margin.b = Math.round(figure.layout.margin.b * 1.5);  // legends grow too
      }
    }
    // Plotly forgets a height without a width when the window resizes, and then takes the
    // element's: give the element the figure's height.
    target.style.height = figure.layout.height + "px";
    if (document.documentElement.lang === "fr") {
      figure.layout.separators = ", ";  // 2,5 and 1 000, as in the tables beside the charts
    }
    Plotly.newPlot(target, figure.data, figure.layout, {
      displayModeBar: false, responsive: true
    }).then(function () {
      target.on("plotly_relayout", function (changes) {
        // A new size moves the dots: spread again (the spreading itself moves annotations).
        if (!Object.keys(changes).some(function (key) { return key.indexOf("annotations") === 0; })) {
          spreadBadges(target);
        }
      });
      return spreadBadges(target);
    }).then(function () {
      target.classList.add("drawn");  // for people who test: the chart is complete
    });
  });
})();
