// One language switch per admin form (issue 11). The server marks every translated input
// with data-lang, data-field, lang and dir; this script shows the Italian source and one
// other language at a time across all fields, and keeps the "N/10 lingue" counter live.
// Inline formsets follow the switch too: in a stacked inline each input's row is hidden, in
// a tabular one its cell and the column's header, so the columns still line up; rows added
// with "Add another" follow at once. The counter counts the form's own fields only.
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
    var current = "it";
    var buttons = bar.querySelectorAll("button[data-lang-target]");
    var count = bar.querySelector(".labimpact-lang-count");
    var total = parseInt(bar.getAttribute("data-total"), 10);
    var pattern = bar.getAttribute("data-pattern");

    function container(input) {
      return (
        input.closest(".tabular td") || input.closest(".fieldBox") || input.closest(".form-row") || input.parentNode
      );
    }

    // The header of a tabular inline's column: th.column-<field> above td.field-<field>.
    function header(cell) {
      var name = Array.prototype.find.call(cell.classList, function (cls) {
        return cls.indexOf("field-") === 0;
      });
      var table = cell.closest("table");
      return name && table ? table.querySelector("th.column-" + name.slice("field-".length)) : null;
    }

    function show(code) {
      current = code;
      // Queried each time: inline rows added since the last switch are included.
      Array.prototype.forEach.call(form.querySelectorAll("[data-lang]"), function (input) {
        var lang = input.getAttribute("data-lang");
        var visible = lang === code || input.getAttribute("data-source") === "true";
        var box = container(input);
        box.classList.toggle("labimpact-lang-hidden", !visible);
        if (box.tagName === "TD") {
          var th = header(box);
          if (th) {
            th.classList.toggle("labimpact-lang-hidden", !visible);
          }
        }
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
    // Django's inlines.js dispatches formset:added on the new row when "Add another" is used.
    document.addEventListener("formset:added", function () {
      show(current);
    });
    bar.hidden = false;
    show(buttons.length ? buttons[0].getAttribute("data-lang-target") : "it");
    recount();
  });
})();
