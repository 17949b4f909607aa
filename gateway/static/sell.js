// The seller portal's only script: the upload progress bar, "select all" in the inventory,
// and the slip's print button. Every page works without it.
(function () {
  "use strict";

  function followUpload(section) {
    var url = section.getAttribute("data-progress-url");
    var bar = document.getElementById("upload-progress");
    var percent = document.getElementById("upload-percent");
    var rows = document.getElementById("upload-rows");
    var errors = document.getElementById("upload-errors");
    var status = document.getElementById("upload-status");

    function show(progress) {
      bar.value = progress.percent;
      bar.textContent = progress.percent + "%";
      percent.textContent = progress.percent + "%";
      rows.textContent = progress.rows_done +
        (progress.rows_total === null ? "" : " of " + progress.rows_total) + " rows";
      errors.textContent = progress.errors + (progress.errors === 1 ? " error" : " errors") + " so far";
      status.textContent = progress.status.charAt(0).toUpperCase() + progress.status.slice(1);
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (progress) {
          if (progress) {
            show(progress);
            if (progress.finished) {
              // The finished page carries the full report: fetch it once.
              window.location.reload();
              return;
            }
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 1000); });
    }

    if (section.getAttribute("data-finished") !== "true") {
      window.setTimeout(poll, 1000);
    }
  }

  function selectAll(box) {
    var boxes = document.querySelectorAll('input[name="listing_ids"]');
    box.hidden = false;
    box.addEventListener("change", function () {
      boxes.forEach(function (each) { each.checked = box.checked; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var upload = document.getElementById("upload-job");
    if (upload) { followUpload(upload); }
    var all = document.getElementById("select-all");
    if (all) { selectAll(all); }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
