/* Comune suggestions under the desk search box.
 *
 * The form works without this file (a typed name or postcode is resolved on the server,
 * and an ambiguous name lists the matching comuni). With it, the browser's own datalist
 * shows up to ten comuni as the reader types, whatever accents or apostrophes they use.
 *
 * Browsers only show datalist options that contain what was typed, so names the server found
 * despite a typo or an abbreviation ("Cremna", "sesto s. giovanni") are also offered as
 * buttons under the box ("Did you mean: …"), which fill it in.
 */
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) {
    return;
  }
  var list = document.createElement("datalist");
  list.id = input.id + "-suggestions";
  input.parentNode.appendChild(list);
  input.setAttribute("list", list.id);
  var hint = document.createElement("p");
  hint.className = "comune-hint";
  hint.setAttribute("aria-live", "polite");
  input.parentNode.appendChild(hint);
  var timer = null;
  var last = "";

  function fold(text) {
    return text
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9]/g, "")
      .toLowerCase();
  }

  function offer(term, names) {
    hint.textContent = "";
    var typed = fold(term);
    var hidden = names.filter(function (name) {
      return fold(name).indexOf(typed) === -1;
    });
    if (!hidden.length || !input.dataset.suggestHint) {
      return;
    }
    hint.appendChild(document.createTextNode(input.dataset.suggestHint + " "));
    hidden.slice(0, 5).forEach(function (name) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm";
      button.lang = "it";
      button.textContent = name;
      button.addEventListener("click", function () {
        input.value = name;
        hint.textContent = "";
        input.focus();
      });
      hint.appendChild(button);
    });
  }
  function suggest() {
    var term = input.value.trim();
    if (term.length < 2 || term === last) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      last = term;
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(term), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { comuni: [] };
        })
        .then(function (data) {
          list.textContent = "";
          data.comuni.forEach(function (name) {
            var option = document.createElement("option");
            option.value = name;
            list.appendChild(option);
          });
          offer(term, data.comuni);
        })
        .catch(function () {
          /* Suggestions are a convenience: the form still works. */
        });
    }, 200);
  }
  input.addEventListener("input", suggest);
  // A reader on a slow phone may start typing before this deferred script runs.
  if (document.activeElement === input) {
    suggest();
  }
})();
