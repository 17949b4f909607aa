// The seller's photo page, made quicker where scripts run: files dropped on the upload form
// are sent at once, and photos dragged into a new order are saved. Without this script the
// file input and the buttons do the same.
(function () {
  "use strict";
  var upload = document.getElementById("photo-upload");
  var input = document.getElementById("photo-files");
  if (upload && input && !input.disabled && window.DataTransfer) {
    document.getElementById("photo-drop-hint").hidden = false;
    ["dragenter", "dragover"].forEach(function (name) {
      upload.addEventListener(name, function (event) {
        event.preventDefault();
        upload.classList.add("dropping");
      });
    });
    upload.addEventListener("dragleave", function () {
      upload.classList.remove("dropping");
    });
    upload.addEventListener("drop", function (event) {
      event.preventDefault();
      upload.classList.remove("dropping");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        upload.submit();
      }
    });
  }

  var list = document.getElementById("photo-list");
  var arrange = document.getElementById("photo-arrange");
  if (!list || !arrange) return;
  var dragged = null;
  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".photo-item");
    if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
  });
  list.addEventListener("dragover", function (event) {
    var over = event.target.closest(".photo-item");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", function (event) {
    if (!dragged) return;
    event.preventDefault();
    dragged = null;
    var keys = Array.prototype.map.call(list.querySelectorAll(".photo-item"), function (item) {
      return item.getAttribute("data-key");
    });
    document.getElementById("photo-order").value = keys.join(",");
    arrange.submit();
  });
})();
