// Export status page: poll the job and show its progress; reload when it has ended.
// Without JavaScript the page has an "Aggiorna" link instead.
(function () {
  "use strict";
  var box = document.getElementById("export-status");
  if (!box || !box.dataset.statusUrl) {
    return;
  }
  var bar = document.getElementById("export-progress");
  var percent = box.querySelector("[data-export-percent]");
  var label = box.querySelector("[data-export-status]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (job) {
        bar.value = job.progress;
        bar.textContent = job.progress + "%";
        percent.textContent = job.progress + "%";
        label.textContent = job.label;
        if (job.running) {
          window.setTimeout(poll, 1500);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
