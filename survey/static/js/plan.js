// Session plan in the room: one phase at a time with a countdown. The timer lives in this page
// only (nothing is sent or stored); without JavaScript the page is the list of phases.
(function () {
  "use strict";
  var list = document.getElementById("plan-list");
  var controls = document.getElementById("plan-controls");
  var clock = document.getElementById("plan-timer");
  var toggle = document.getElementById("plan-toggle");
  var announce = document.getElementById("plan-announce");
  if (!list || !controls || !clock || !toggle) return;
  var slides = Array.prototype.slice.call(list.querySelectorAll(".plan-slide"));
  if (!slides.length) return;

  var current = 0;
  var remaining = 0; // seconds; negative once the phase runs over
  var endsAt = null; // a Date.now() while running, null while paused
  var ticking = null;

  function format(seconds) {
    var s = Math.abs(seconds);
    var text = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    return seconds < 0 ? "+" + text : text;
  }

  function render() {
    clock.textContent = format(remaining);
    clock.classList.toggle("overtime", remaining < 0);
    toggle.textContent = endsAt === null ? toggle.dataset.start : toggle.dataset.pause;
    document.getElementById("plan-previous").disabled = current === 0;
    document.getElementById("plan-next").disabled = current === slides.length - 1;
  }

  function tick() {
    // From the clock, not by counting intervals: a busy or hidden tab does not drift.
    var before = remaining;
    remaining = Math.round((endsAt - Date.now()) / 1000);
    if (before >= 0 && remaining < 0 && announce) announce.textContent = clock.dataset.over;
    render();
  }

  function start() {
    endsAt = Date.now() + remaining * 1000;
    ticking = setInterval(tick, 250);
    render();
  }

  function pause() {
    if (endsAt === null) return;
    tick();
    clearInterval(ticking);
    endsAt = null;
    render();
  }

  function show(index) {
    if (index < 0 || index >= slides.length) return;
    pause();
    current = index;
    slides.forEach(function (slide, i) { slide.hidden = i !== current; });
    remaining = Number(slides[current].dataset.minutes) * 60;
    var title = slides[current].querySelector(".plan-title");
    var position = slides[current].querySelector(".plan-position");
    if (announce) announce.textContent = position.textContent + " — " + title.textContent;
    render();
  }

  toggle.addEventListener("click", function () { if (endsAt === null) start(); else pause(); });
  document.getElementById("plan-next").addEventListener("click", function () { show(current + 1); });
  document.getElementById("plan-previous").addEventListener("click", function () { show(current - 1); });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    var onControl = target && /^(BUTTON|A|INPUT|SELECT|TEXTAREA)$/.test(target.tagName);
    if (event.key === " " && !onControl) {
      event.preventDefault();
      toggle.click();
    } else if (event.key === "ArrowRight" || event.key === "PageDown") {
      event.preventDefault();
      show(current + 1);
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      event.preventDefault();
      show(current - 1);
    }
  });

  document.body.classList.add("plan-running");
  controls.hidden = false;
  show(0);
})();
