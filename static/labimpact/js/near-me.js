/* "Desks near me" on the desk search.
 *
 * Progressive enhancement: the button stays hidden unless the browser can tell its
 * position. The position is asked only when the reader presses the button, rounded here to
 * two decimals (about 1 km) and sent as ?lat=&lon= with the other filters; the server rounds
 * again and never stores it.
 */
(function () {
  "use strict";
  var button = document.querySelector("button[data-near-me]");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  var form = button.form;
  var status = form.querySelector("[data-near-me-status]");
  button.hidden = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say(button.dataset.locating);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var params = new URLSearchParams();
        ["category", "language", "open_now"].forEach(function (name) {
          var field = form.elements[name];
          if (!field) {
            return;
          }
          if (field.type === "checkbox") {
            if (field.checked) {
              params.set(name, field.value || "on");
            }
          } else if (field.value) {
            params.set(name, field.value);
          }
        });
        params.set("lat", position.coords.latitude.toFixed(2));
        params.set("lon", position.coords.longitude.toFixed(2));
        // The form's action may carry its own fragment (#results): build the address with
        // the URL API so the query lands before it, not inside it.
        var target = new URL(form.action, window.location.href);
        target.search = params.toString();
        target.hash = "results";
        window.location.assign(target.toString());
      },
      function () {
        button.disabled = false;
        say(button.dataset.denied);
      },
      { enableHighAccuracy: false, maximumAge: 600000, timeout: 15000 }
    );
  });
})();
