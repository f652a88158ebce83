// Progressive enhancement of the answering pages: everything works without this file.
(function () {
  "use strict";
  // Running total of each 100-point allocation; the server checks the sum again.
  document.querySelectorAll("fieldset.allocation").forEach(function (fieldset) {
    var total = Number(fieldset.dataset.total);
    var output = fieldset.querySelector("output.running-total");
    var inputs = fieldset.querySelectorAll("input[type=number]");
    if (!output) return;
    function update() {
      var spent = 0;
      inputs.forEach(function (input) { spent += Number(input.value) || 0; });
      output.textContent = output.dataset.template
        .replace("{spent}", spent).replace("{total}", total);
      output.classList.toggle("off-total", spent !== total && spent !== 0);
      output.classList.toggle("on-total", spent === total);
    }
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  });
  // Characters left in free-text answers.
  document.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var counter = document.createElement("p");
    counter.className = "hint char-count";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    function update() {
      counter.textContent = area.value.length + " / " + area.maxLength;
    }
    area.addEventListener("input", update);
    update();
  });
  // Select the resume link on focus, ready to copy.
  document.querySelectorAll("input.resume-link, #join-link").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
