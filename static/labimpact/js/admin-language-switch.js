// One language switch per admin form (issue 11). The server marks every translated input
// with data-lang, data-field, lang and dir; this script shows the Italian source and one
// other language at a time across all fields, and keeps the "N/10 lingue" counter live.
// Inline formsets keep every language visible (their columns would no longer line up).
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  ready(function () {
    var bar = document.querySelector(".labimpact-lang-switch");
    if (!bar) {
      return;
    }
    var form = bar.closest("form") || document;
    var inputs = Array.prototype.filter.call(form.querySelectorAll("[data-lang]"), function (input) {
      return !input.closest(".inline-group");
    });
    var buttons = bar.querySelectorAll("button[data-lang-target]");
    var count = bar.querySelector(".labimpact-lang-count");
    var total = parseInt(bar.getAttribute("data-total"), 10);
    var pattern = bar.getAttribute("data-pattern");

    function container(input) {
      return input.closest(".fieldBox") || input.closest(".form-row") || input.parentNode;
    }

    function show(code) {
      inputs.forEach(function (input) {
        var lang = input.getAttribute("data-lang");
        var visible = lang === code || input.getAttribute("data-source") === "true";
        container(input).classList.toggle("labimpact-lang-hidden", !visible);
      });
      Array.prototype.forEach.call(buttons, function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-lang-target") === code));
      });
    }

    function filled(input) {
      return (input.value || "").trim() !== "";
    }

    function recount() {
      var byField = {};
      inputs.forEach(function (input) {
        var field = input.getAttribute("data-field");
        byField[field] = byField[field] || {};
        byField[field][input.getAttribute("data-lang")] = input;
      });
      var done = 0;
      Array.prototype.forEach.call(buttons, function (button) {
        var code = button.getAttribute("data-lang-target");
        var complete = Object.keys(byField).every(function (field) {
          var source = Array.prototype.find.call(Object.values(byField[field]), function (input) {
            return input.getAttribute("data-source") === "true";
          });
          var target = byField[field][code];
          return !source || !filled(source) || (target && filled(target));
        });
        if (complete) {
          done += 1;
        }
      });
      count.textContent = pattern.replace("__done__", done).replace("__total__", total);
    }

    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        show(button.getAttribute("data-lang-target"));
      });
    });
    inputs.forEach(function (input) {
      input.addEventListener("input", recount);
    });
    bar.hidden = false;
    show(buttons.length ? buttons[0].getAttribute("data-lang-target") : "it");
    recount();
  });
})();
