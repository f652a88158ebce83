// Projection mode: arrow keys, space and page keys move between views.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var forward = ["ArrowRight", "PageDown", " "].indexOf(event.key) !== -1;
    var backward = ["ArrowLeft", "PageUp"].indexOf(event.key) !== -1;
    var link = document.getElementById(forward ? "next-slide" : backward ? "previous-slide" : "");
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
})();
