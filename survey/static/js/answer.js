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
  // Characters used in free-text answers: always shown, but only announced when a threshold
  // is crossed (80 %, 95 %, the limit), not at every keystroke.
  document.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var counter = document.createElement("p");
    counter.className = "hint char-count";
    counter.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", spoken);
    area.insertAdjacentElement("afterend", counter);
    var thresholds = [0.8, 0.95, 1];
    var reached = 0;
    function level() {
      var share = area.value.length / area.maxLength;
      return thresholds.filter(function (t) { return share >= t; }).length;
    }
    function update() {
      var text = area.value.length + " / " + area.maxLength;
      counter.textContent = text;
      var now = level();
      if (now > reached) spoken.textContent = text;
      reached = now;
    }
    area.addEventListener("input", update);
    counter.textContent = area.value.length + " / " + area.maxLength;
    reached = level();
  });
  // Select the resume link on focus, ready to copy.
  document.querySelectorAll("input.resume-link, #join-link").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
  // A copy button next to the resume link, where the browser lets us write the clipboard.
  document.querySelectorAll("button.copy-link").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.dataset.copied;
      });
    });
  });
  // Clearing an answer needs no round trip: empty the question's fields here.
  document.querySelectorAll(".clear-answer button").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var question = button.closest(".question");
      if (!question) return;
      event.preventDefault();
      question.querySelectorAll("input, select, textarea").forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") field.checked = false;
        else field.value = "";
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
      var first = question.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  });
  // After a refused page, take keyboard and screen reader users to the list of problems.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
