/* Comune suggestions under the desk search box.
 *
 * The form works without this file (a typed name or postcode is resolved on the server,
 * and an ambiguous name lists the matching comuni). With it, the browser's own datalist
 * shows up to ten comuni as the reader types, whatever accents or apostrophes they use.
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
  var timer = null;
  var last = "";
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
