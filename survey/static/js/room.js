// Room page: refresh the response count every ten seconds (the only figure shown while open).
(function () {
  "use strict";
  var count = document.getElementById("room-count");
  if (!count) return;
  setInterval(function () {
    fetch(count.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { count.textContent = data.text; })
      .catch(function () {});
  }, 10000);
})();
